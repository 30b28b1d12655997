"""The OpenAPI schema and the docs page, which must work without the internet."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders

SRC = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


def test_docs_page_loads_its_scripts_from_our_own_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = SRC.findall(html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), source
    assert "cdn" not in html.lower()
    assert "http://" not in html and "https://" not in html


def test_openapi_schema_lists_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kehou API"
    assert "YYYY-MM-DD" in schema["info"]["description"]
    assert set(schema["paths"]) >= {
        "/api/students",
        "/api/students/{student_id}",
        "/api/guardians",
        "/api/guardians/{guardian_id}",
        "/api/classes",
        "/api/classes/{class_id}",
        "/api/terms",
        "/api/terms/{term_id}",
        "/api/terms/{term_id}/school-days",
    }
    student = schema["components"]["schemas"]["StudentOut"]["properties"]
    assert "class" in student and "national_id" not in student
    security = schema["components"]["securitySchemes"]
    assert {s["type"] for s in security.values()} == {"http", "apiKey"}
