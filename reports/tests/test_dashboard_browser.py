"""The principal opens the dashboard in chromium and the charts draw (screenshot kept as an artifact).

The screenshot goes to ``$KEHOU_ARTIFACTS`` (default ``var/test-artifacts/``) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from kehou.tests.test_browser import _sign_in, page  # noqa: F401  (the chromium page fixture)
from lib import testing as make


@pytest.mark.django_db(transaction=True)
def test_principal_sees_the_dashboard_chart_drawn(page, live_server, principal, class_a, child_a, child_b):  # noqa: F811
    term = make.make_term(principal.school)
    make.make_student(make.make_class(principal.school, grade=5), name="五年级学生")
    _sign_in(page, live_server.url, principal.user.username)
    page.goto(f"{live_server.url}/reports/dashboard/")
    assert term.name in page.inner_text("h1")
    # charts.js marks a chart drawn once plotly has rendered its SVG.
    page.wait_for_selector("[data-chart='chart-participation'][data-drawn='1'] svg.main-svg", timeout=20_000)
    bars = page.locator("[data-chart='chart-participation'] .bars path").count()
    assert bars >= 2  # grades 3 and 5 have students on roll
    artifacts = Path(os.environ.get("KEHOU_ARTIFACTS", settings.BASE_DIR / "var" / "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "dashboard.png"
    page.locator("[data-chart='chart-participation']").screenshot(path=str(shot))
    assert shot.stat().st_size > 1000
