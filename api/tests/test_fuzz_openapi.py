"""API fuzzing with schemathesis (issue 11 §5): every operation, as every persona.

The OpenAPI document is the one served at /api/openapi.json. For each operation,
schemathesis generates path and query parameters and JSON bodies from the schema — valid
ones, and malformed ones (wrong types, missing fields, out-of-range values) — and calls
the API in-process through WSGI with each persona's bearer token. Every answer must:

- never be a server error (5xx);
- for 2xx, match the declared response schema and content type;
- for 4xx, carry a JSON body with ``detail`` (the documented error shape).

Examples are bounded so the whole run stays well under a minute in CI.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.main import api
from api.services import issue_token
from enrollment.tests.conftest import open_club, published_term

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
PERSONAS = ("guardian", "head_teacher", "principal", "finance", "guard", "district", "outsider")
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 10}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app():
    """The WSGI app, keeping the test's transaction: Django would close the connection after
    each request (as its own test client also prevents)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(school_a, guardian_a, child_a, teacher, principal, finance, guard, district, outsider):
    """A term with a published plan and an open club, and one token per persona."""
    term = published_term(school_a, "p2")
    open_club(term)
    users = {
        "guardian": guardian_a.user,
        "head_teacher": teacher.user,
        "principal": principal.user,
        "finance": finance.user,
        "guard": guard.user,
        "district": district,
        "outsider": outsider.user,
    }
    return {name: issue_token(user=user, name="fuzz") for name, user in users.items()}


def _error_body_is_json(response) -> None:
    if 400 <= response.status_code < 500:
        body = json.loads(response.content)
        assert isinstance(body, dict) and "detail" in body, (response.status_code, body)


def _fuzz(op, mode, tokens) -> None:
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=op.as_strategy(generation_mode=mode), persona=st.sampled_from(PERSONAS))
    def run(case, persona):
        headers = {"Authorization": f"Bearer {tokens[persona]}"}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        _error_body_is_json(response)

    run()


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda m: m.value)
def test_fuzzing_finds_no_server_error_and_no_schema_violation(mode, tokens, wsgi_app):
    """One test per mode over every operation: the personas are set up once, not 16 times."""
    schema = SCHEMA.clone()
    schema.app = wsgi_app
    failures = []
    for operation in OPERATIONS:
        op = schema.find_operation_by_label(operation.label)
        try:
            _fuzz(op, mode, tokens)
        except Exception as exc:  # noqa: BLE001 (collected, then reported together)
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert len(OPERATIONS) >= 16  # every operation of the schema was fuzzed
