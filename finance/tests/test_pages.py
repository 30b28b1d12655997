"""The finance desk, a child's statement and the public accounts (公示) as pages."""

from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from enrollment.tests.conftest import published_term
from finance.desk import receive_allocation, record_expense
from finance.enrolment import term_run
from finance.ledger import balances_by_account
from finance.meals import bill_meals, pay_meal_vendor
from finance.models import JournalEntry
from finance.selectors import public_statement
from finance.services import record_payment
from lib import testing as make
from people.models import Student
from plans.presets import load_preset
from schools.models import CalendarEntry

D = Decimal


@pytest.fixture
def term(school_a):
    """Plan 1 with a 50.00 allocation per pupil (families pay the rest) and plan 7's lunch."""

    def change(document):
        document["fees"]["funding"] = "allocation_plus_fees"
        document["fees"]["government_allocation_per_student"] = "50.00"
        document["fees"]["meals"] = copy.deepcopy(load_preset("p7").document["fees"]["meals"])

    term = published_term(school_a, "p1", change)
    CalendarEntry.objects.create(school=school_a, date=dt.date(2026, 9, 20), kind="workday", follows_weekday=0)
    CalendarEntry.objects.create(school=school_a, date=dt.date(2026, 10, 10), kind="workday", follows_weekday=3)
    return term


def enrol(term, class_a, approved, n: int) -> list[Student]:
    students = [make.make_student(class_a, name=f"学生{i:03d}") for i in range(n)]
    for s in students:
        approved(term, s, meals=True)
    return students


def busy_term(term, class_a, approved, n: int) -> list[Student]:
    """n children charged, one paying, lunch billed for November, a bit spent, the allocation in."""
    students = enrol(term, class_a, approved, n)
    term_run(term=term, acting_user=None)
    record_payment(term=term, student=students[0], amount=D("300.00"), date=dt.date(2026, 9, 5),
                   reference="P-1", acting_user=None)
    bill_meals(term=term, year=2026, month=11, acting_user=None)
    pay_meal_vendor(school=term.school, term=term, amount=D("100.00"), date=dt.date(2026, 12, 8),
                    reference="V-1", acting_user=None)
    record_expense(term=term, account="expense:consumables", amount=D("80.50"), date=dt.date(2026, 10, 12),
                   memo="彩泥", reference="F-1", acting_user=None)
    receive_allocation(term=term, amount=D("50.00"), date=dt.date(2026, 10, 20), reference="CZ-1", acting_user=None)
    return students


def test_the_public_statement_reconciles_with_the_ledger(term, class_a, approved):
    """3 children × 350.00 = 1,050.00 charged; the allocation pays 3 × 50.00 = 150.00 of it, so
    families owe 900.00; consumables 80.50 → balance 969.50. Meals are apart: 21 × 15.00 × 3 = 945.00."""
    busy_term(term, class_a, approved, 3)
    s = public_statement(term)
    b = balances_by_account(school_id=term.school_id, term_id=term.pk)
    assert s.income_total == -b["income:service_fees"] - b.get("income:waivers", 0) - b.get("income:refunds", 0)
    assert s.expense_total == sum(v for k, v in b.items() if k.startswith("expense:"))
    assert [line.amount for line in s.income] == [D("900.00"), D("150.00")]
    assert (s.income_total, s.expense_total, s.balance) == (D("1050.00"), D("80.50"), D("969.50"))
    meals = {line.code: line.amount for line in s.meals}
    assert meals == {"billed": D("945.00"), "collected": D("0.00"), "paid_vendor": D("100.00"),
                     "due_vendor": D("845.00")}
    assert meals["due_vendor"] == -b["payable:meal_vendor"]


def test_the_public_accounts_name_no_child(client, term, class_a, approved):
    students = busy_term(term, class_a, approved, 3)
    base = f"/finance/public/{term.school.code}/{term.pk}/"
    page = client.get(base).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(base + "xlsx/").content))
    cells = " ".join(str(c.value) for ws in sheet.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "969.50" in page and "0531-12345678" in page
    for student in students:
        assert student.name not in page and student.name not in cells
        assert student.student_number not in page and student.student_number not in cells
    assert client.get(base + "pdf/")["Content-Type"] == "application/pdf"


def test_a_guardian_reads_their_own_child_and_no_other(as_user, term, class_a, child_a, child_b, guardian_a,
                                                        approved):
    approved(term, child_a, guardian=guardian_a)
    approved(term, child_b)
    term_run(term=term, acting_user=None)
    mine = as_user(guardian_a).get(f"/finance/children/{child_a.pk}/")
    assert mine.status_code == 200
    assert "350.00" in mine.content.decode()  # the charge's memo shows the working
    assert as_user(guardian_a).get(f"/finance/children/{child_b.pk}/").status_code == 404


def test_the_desk_is_for_finance_and_the_principal(as_user, term, finance, principal, teacher, outsider, child_b):
    assert as_user(finance).get("/finance/").status_code == 200
    assert as_user(principal).get("/finance/").status_code == 200
    assert as_user(teacher).get("/finance/").status_code == 403
    assert as_user(teacher).get(f"/finance/children/{child_b.pk}/").status_code == 404
    assert as_user(outsider).get(f"/finance/children/{child_b.pk}/").status_code == 404


def test_an_expense_the_plan_does_not_allow_is_refused_on_the_desk(as_user, term, finance):
    """Plan 1 allows staff pay, external staff, consumables and upkeep; utilities are refused."""
    response = as_user(finance).post("/finance/expense/", {
        "term": term.pk, "account": "expense:utilities", "amount": "120.00", "date": "2026-10-01",
        "reference": "DF-1", "memo": "电费"}, follow=True)
    assert "专款专用" in response.content.decode()
    assert not JournalEntry.objects.filter(source_type="expense").exists()


def test_settlement_is_previewed_then_committed_once(as_user, term, class_a, finance, child_b, approved):
    """Paid 350.00 of 300.00 due (350 − 50 allocation): the preview shows a 50.00 refund (多退)."""
    approved(term, child_b)
    term_run(term=term, acting_user=None)
    record_payment(term=term, student=child_b, amount=D("350.00"), date=dt.date(2026, 9, 5), reference="S-1",
                   acting_user=None)
    client = as_user(finance)
    assert "50.00" in client.get(f"/finance/settlement/?term={term.pk}").content.decode()
    assert not JournalEntry.objects.filter(source_type="settlement").exists()
    for _ in range(2):
        client.post("/finance/settlement/", {"term": term.pk, "date": "2027-01-15"})
    assert JournalEntry.objects.filter(source_type="settlement").count() == 1


def test_an_entry_is_reversed_with_a_reason(as_user, term, finance, child_b):
    record_payment(term=term, student=child_b, amount=D("35.00"), date=dt.date(2026, 9, 5), reference="T-1",
                   acting_user=None)
    entry = JournalEntry.objects.get()
    as_user(finance).post(f"/finance/entries/{entry.pk}/reverse/", {"reason": "金额录错"})
    reversal = JournalEntry.objects.get(reverses=entry)
    assert "金额录错" in reversal.memo


@pytest.mark.parametrize("page", ["desk", "child", "public", "settlement"])
def test_pages_cost_the_same_for_5_and_50_children(as_user, client, term, class_a, finance, approved, page,
                                                   django_assert_max_num_queries):
    def url(students):
        return {"desk": f"/finance/?term={term.pk}", "child": f"/finance/children/{students[0].pk}/",
                "public": f"/finance/public/{term.school.code}/{term.pk}/",
                "settlement": f"/finance/settlement/?term={term.pk}"}[page]

    staff = as_user(finance)
    few = busy_term(term, class_a, approved, 5)
    with django_assert_max_num_queries(60) as small:
        assert (client if page == "public" else staff).get(url(few)).status_code == 200
    more = enrol(term, class_a, approved, 45)
    term_run(term=term, acting_user=None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert (client if page == "public" else staff).get(url(more + few)).status_code == 200
