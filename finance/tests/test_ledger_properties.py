"""For any enrolment, absences, waiver and payments: the ledger balances and every yuan charged
is accounted for — charged = paid + waived + allocated + refunded + outstanding."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.ledger import balance, balances_by_account
from finance.models import JournalLine, WaiverDecision
from finance.services import charge_term, record_payment, refund_absences
from finance.tests.test_plan1_fees import term1  # noqa: F401 — the plan-1 term fixture
from lib import testing as make
from schools.calendar import school_days

_counter = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start_offset=st.integers(min_value=0, max_value=80),
    absent_offsets=st.sets(st.integers(min_value=0, max_value=83), max_size=30),
    waiver=st.sampled_from([None, Decimal("0"), Decimal("33.33"), Decimal("50"), Decimal("100")]),
    payments=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2), max_size=4),
)
def test_every_yuan_is_accounted(term1, class_a, principal, start_offset, absent_offsets, waiver, payments):  # noqa: F811
    n = next(_counter)
    student = make.make_student(class_a, name=f"随机{n}")
    days = [d.date for d in school_days(term1)]
    if waiver is not None:
        WaiverDecision.objects.create(school=term1.school, term=term1, student=student, percent=waiver,
                                      reason="测试", decided_by=principal.user)
    [fee] = charge_term(term=term1, student=student, services={"after_school"}, acting_user=None,
                        enrolled_from=days[start_offset])
    refunds = refund_absences(term=term1, student=student, services={"after_school"},
                              absent={days[i] for i in absent_offsets if i >= start_offset}, acting_user=None)
    for i, amount in enumerate(payments):
        record_payment(term=term1, student=student, amount=amount, date=dt.date(2026, 9, 10),
                       reference=f"P{n}-{i}", acting_user=None)
    paid = sum(payments, Decimal(0))
    refunded = sum((r.amount for r in refunds), Decimal(0))
    outstanding = balance(school_id=term1.school_id, account="receivable:service", student_id=student.pk)
    assert fee.gross == paid + fee.waived + fee.allocation + refunded + outstanding
    assert refunded <= fee.due
    assert sum(balances_by_account(school_id=term1.school_id).values(), Decimal(0)) == 0
    for amount in JournalLine.objects.filter(student=student).values_list("amount", flat=True):
        assert amount == amount.quantize(Decimal("0.01"))
