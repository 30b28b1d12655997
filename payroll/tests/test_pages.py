"""Payroll pages: build a preview, commit once, statements for their owner and for finance only,
the term summary and awards, the pay_run command; and a pay-run page whose cost does not grow."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.services import record_payment
from finance.tests.test_plan1_fees import term1  # noqa: F401
from lib import testing as make
from payroll.models import PayLine, PayRun
from payroll.tests.test_pay_run import school_month  # noqa: F401
from people.roles import Role
from staffing.models import PerformanceEvent

D = Decimal


@pytest.fixture
def october(as_user, finance, term1, school_month):  # noqa: F811
    """October built and committed by finance (see test_pay_run for the figures)."""
    client = as_user(finance)
    client.post("/payroll/build/", {"month": "2026-10"})
    client.post("/payroll/2026-10/commit/")
    return PayRun.objects.get()


def test_finance_builds_a_preview_with_the_working_then_commits_once(as_user, finance, term1, school_month):  # noqa: F811
    """Pool 1,500.00 − 90.00 − 100.00 = 1,310.00 over 34 periods = 38.53 a period, under the 60 cap."""
    client = as_user(finance)
    response = client.post("/payroll/build/", {"month": "2026-10"})
    assert response.status_code == 302 and response["Location"] == "/payroll/2026-10/"
    page = client.get("/payroll/2026-10/").content.decode()
    for figure in ("1310.00", "115.59", "77.06", "38.53", "90.00"):
        assert figure in page, figure
    assert "迟到12分钟" in page  # the deduction names its event
    client.post("/payroll/2026-10/commit/")
    assert PayRun.objects.get().status == "committed"
    again = client.post("/payroll/2026-10/commit/", follow=True).content.decode()
    assert "本月报酬已确认发放" in again  # "This month's pay has already been committed."
    rebuilt = client.post("/payroll/build/", {"month": "2026-10"}, follow=True).content.decode()
    assert "本月报酬已确认发放" in rebuilt


def test_what_the_cap_leaves_stays_in_the_fund(as_user, finance, term1, school_month, class_a):  # noqa: F811
    """Another 3,000.00 paid: pool 4,310.00 ÷ 34 = 126.76 > 60, so 60 × 34 = 2,040.00 is paid out
    and 4,310.00 − 2,040.00 = 2,270.00 stays in the fund (plan 1: 每课时不高于60元)."""
    record_payment(term=term1, student=make.make_student(class_a, name="付费3"), amount=D("3000.00"),
                   date=dt.date(2026, 9, 6), reference="PAY-3", acting_user=None)
    client = as_user(finance)
    client.post("/payroll/build/", {"month": "2026-10"})
    page = client.get("/payroll/2026-10/").content.decode()
    assert "4310.00" in page and "2040.00" in page and "2270.00" in page
    assert PayLine.objects.get(staff=school_month["a"]).teaching_pay == D("180.00")  # 3 × 60


def test_a_teacher_sees_only_their_own_committed_statement(as_user, october, school_month):  # noqa: F811
    a, b = school_month["a"], school_month["b"]
    client = as_user(a)
    assert client.get(f"/payroll/2026-10/{a.pk}/").status_code == 200
    assert client.get(f"/payroll/2026-10/{a.pk}.pdf").status_code == 200
    assert client.get(f"/payroll/2026-10/{b.pk}/").status_code == 404
    assert client.get(f"/payroll/2026-10/{b.pk}.pdf").status_code == 404
    assert client.get("/payroll/2026-10/").status_code == 403
    assert client.get("/payroll/2026-10/sheet.xlsx").status_code == 403
    assert "2026-10" in client.get("/payroll/mine/").content.decode()


def test_a_preview_is_not_shown_to_the_teacher(as_user, finance, term1, school_month):  # noqa: F811
    as_user(finance).post("/payroll/build/", {"month": "2026-10"})
    a = school_month["a"]
    assert as_user(a).get(f"/payroll/2026-10/{a.pk}/").status_code == 404
    assert as_user(finance).get(f"/payroll/2026-10/{a.pk}/").status_code == 200


def test_a_guardian_is_refused_and_another_school_finds_nothing(as_user, october, guardian_a, outsider,
                                                                school_month):  # noqa: F811
    a = school_month["a"]
    for url in ("/payroll/", "/payroll/mine/", f"/payroll/2026-10/{a.pk}/", "/payroll/runs/"):
        assert as_user(guardian_a).get(url).status_code == 403, url
    other = as_user(outsider)  # a principal, so allowed to see pay, but of school B
    for url in ("/payroll/2026-10/", f"/payroll/2026-10/{a.pk}/", f"/payroll/2026-10/{a.pk}.pdf",
                "/payroll/2026-10/sheet.xlsx", f"/payroll/term/{october.term_id}/"):
        assert other.get(url).status_code == 404, url


def test_the_term_summary_sums_committed_months_only(as_user, finance, october, school_month):  # noqa: F811
    client = as_user(finance)
    client.post("/payroll/build/", {"month": "2026-11"})  # a preview: not in the summary
    page = client.get(f"/payroll/term/{october.term_id}/").content.decode()
    assert "115.59" in page and "77.06" in page
    assert "甲老师" in as_user(school_month["a"]).get(f"/payroll/term/{october.term_id}/").content.decode()
    assert "乙老师" not in as_user(school_month["a"]).get(f"/payroll/term/{october.term_id}/").content.decode()


def test_awards_list_commended_people_without_breaches(as_user, finance, october, school_month, school_a):  # noqa: F811
    """甲 commended, clean → eligible; 乙 commended but late once in October → listed, not eligible."""
    for who in ("a", "b"):
        PerformanceEvent.objects.create(school=school_a, staff=school_month[who], date=dt.date(2026, 11, 2),
                                        kind="commendation", evidence="优秀", source_key=f"c:{who}")
    client = as_user(finance)
    page = client.get(f"/payroll/term/{october.term_id}/awards/").content.decode()
    assert page.index("甲老师") < page.index("乙老师") and page.count("✓") == 1
    assert as_user(school_month["a"]).get(f"/payroll/term/{october.term_id}/awards/").status_code == 403


def test_pay_run_command_builds_and_commits(term1, school_month, school_a):  # noqa: F811
    out = io.StringIO()
    call_command("pay_run", school=school_a.code, month="2026-10", commit=True, stdout=out)
    assert PayRun.objects.get().status == "committed"
    assert "甲老师\t3\t115.59" in out.getvalue()


def _add_lines(run: PayRun, n: int) -> None:
    for i in range(n):
        staff = make.make_staff(run.school, Role.TEACHER, Role.HEAD_TEACHER, name=f"老师{i}", login=False)
        PayLine.objects.create(run=run, staff=staff, periods=3, teaching_pay=D("115.50"), subsidy=D("0"),
                               deducted=D("38.50"), net=D("77.00"),
                               deductions=[{"rule": "late_early_or_swap: 1 × that period", "amount": "38.50",
                                            "events": ["迟到"]}])


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pay_run_page_costs_the_same_for_5_and_30_teachers(as_user, finance, school_a, django_assert_max_num_queries):
    """Session, user, actor (2), run, lines, roles, session save: fixed whatever the roster."""
    run = PayRun.objects.create(school=school_a, term=make.make_term(school_a), month=dt.date(2026, 10, 1),
                                period_value=D("38.5"), working={"model": "rate", "rate": "38.5"})
    client = as_user(finance)
    _add_lines(run, 5)
    client.get("/payroll/2026-10/")  # warm up the session
    five = _count(client, "/payroll/2026-10/")
    _add_lines(run, 25)
    with django_assert_max_num_queries(10):
        page = client.get("/payroll/2026-10/")
    # Each of the 30 lines names its deduction rule and its event ("late_early_or_swap: 1 × that period").
    content = page.content.decode()
    assert content.count("迟到、早退或私自调课: 1 × 该课时报酬") == 30
    assert content.count('<span class="muted">迟到</span>') == 30
    assert _count(client, "/payroll/2026-10/") == five
