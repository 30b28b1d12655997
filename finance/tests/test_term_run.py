"""Issue 8 §2 and §4 from enrolment and attendance: charge the approved children, refund long
absences found in leave notes and roll calls, refund the rest of the term on withdrawal.
Plan 1 (350 yuan a term over 84 service days, 1 Sep – 31 Dec 2026); figures by hand."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from attendance.models import LeaveNote, Mark, RollCall
from enrollment.models import ChildApplication
from finance.enrolment import refund_withdrawal, term_run
from finance.ledger import balance
from finance.models import JournalEntry
from lib import testing as make
from programs.models import CareGroup, GroupFormingRun

D = Decimal
NOON = timezone.make_aware(dt.datetime(2026, 11, 16, 17, 0))


def care_group(term, teacher):
    run = GroupFormingRun.objects.create(school=term.school, term=term, service="after_school",
                                         min_from_one_class=30, merge="adjacent_grades")
    venue = make.make_venue(term.school)
    return CareGroup.objects.create(run=run, school=term.school, key="class-1", name="三(2)班看护",
                                    venue=venue, teacher=teacher, grades=[3], reason="原班")


def owed(term, student):
    return balance(school_id=term.school_id, account="receivable:service", student_id=student.pk, term_id=term.pk)


def test_it_charges_approved_children_from_their_approval_date(term1, class_a, approved):
    """Approved on Mon 2 Nov: 44 of the 84 service days → 350 × 44 / 84 = 183.33 (plan 1 test)."""
    early, late, waiting = (make.make_student(class_a, name=n) for n in ("甲", "乙", "丙"))
    approved(term1, early, approved_on=dt.date(2026, 8, 20))
    approved(term1, late, approved_on=dt.date(2026, 11, 2))
    pending = approved(term1, waiting)
    ChildApplication.objects.filter(pk=pending.pk).update(status=ChildApplication.Status.SUBMITTED)
    result = term_run(term=term1, acting_user=None)
    assert result.children == 2
    assert (owed(term1, early), owed(term1, late), owed(term1, waiting)) == (D("350.00"), D("183.33"), D("0.00"))


def test_absences_from_leave_notes_and_roll_calls_are_refunded(term1, class_a, child_b, teacher, approved):
    """Whole-day leave Mon 9 – Fri 13 Nov and marked absent/on leave Mon 16 – Wed 18 Nov on the
    care group's roll call: 8 school days in a row, more than plan 1's week → 350 ÷ 84 × 8 = 33.33.
    A leave note for one club session only, and a cancelled note, do not count."""
    approved(term1, child_b)
    for day in (9, 10, 11, 12, 13):
        LeaveNote.objects.create(school=term1.school, student=child_b, date=dt.date(2026, 11, day),
                                 reason="病假", reported_by=teacher.user)
    LeaveNote.objects.create(school=term1.school, student=child_b, date=dt.date(2026, 11, 19), reason="x",
                             reported_by=teacher.user, cancelled_at=NOON)
    group = care_group(term1, teacher)
    for day, status in ((16, "absent"), (17, "leave"), (18, "absent"), (19, "present")):
        call = RollCall.objects.create(school=term1.school, date=dt.date(2026, 11, day), care_group=group,
                                       taken_by=teacher, taken_at=NOON)
        Mark.objects.create(roll_call=call, student=child_b, status=status, marked_by=teacher.user, marked_at=NOON)
    result = term_run(term=term1, acting_user=None)
    assert (result.refunds, result.refunded) == (1, D("33.33"))
    assert owed(term1, child_b) == D("316.67")
    entry = JournalEntry.objects.get(source_type="absence_refund")
    assert "350.00 ÷ 84 × 8 = 33.33" in entry.memo


def test_running_it_again_posts_nothing_new(term1, child_b, approved):
    approved(term1, child_b)
    term_run(term=term1, acting_user=None)
    count = JournalEntry.objects.count()
    term_run(term=term1, acting_user=None)
    assert JournalEntry.objects.count() == count == 1


def test_withdrawal_refunds_the_rest_of_the_term_with_the_working(term1, child_b, approved):
    """Leaves after Fri 27 Nov: the service days left are Mon 30 Nov and 23 weekdays of December
    = 24; 350.00 ÷ 84 × 24 = 100.00 back, 250.00 still owed."""
    child = approved(term1, child_b)
    term_run(term=term1, acting_user=None)
    [refund] = refund_withdrawal(child=child, date=dt.date(2026, 11, 27), acting_user=None)
    assert (refund.days_left, refund.amount) == (24, D("100.00"))
    assert owed(term1, child_b) == D("250.00")
    memo = JournalEntry.objects.get(source_type="withdrawal").memo
    # zh-hans: "350.00 ÷ 84 enrolled days × 24 school days after 2026-11-27 = 100.00"
    assert "350.00 ÷ 在读 84 天 × 2026-11-27 之后剩余 24 个上课日 = 100.00" in memo
    refund_withdrawal(child=child, date=dt.date(2026, 11, 27), acting_user=None)
    assert JournalEntry.objects.filter(source_type="withdrawal").count() == 1


def test_withdrawal_does_not_refund_days_already_refunded_for_absence(term1, child_b, teacher, approved):
    """Absent Mon 14 – Wed 23 Dec (8 days, refunded 33.33), then withdrawn after Fri 18 Dec: of the
    9 days left (21–25, 28–31 Dec) 3 were refunded already → 350 ÷ 84 × 6 = 25.00."""
    child = approved(term1, child_b)
    for day in (14, 15, 16, 17, 18, 21, 22, 23):
        LeaveNote.objects.create(school=term1.school, student=child_b, date=dt.date(2026, 12, day),
                                 reason="病假", reported_by=teacher.user)
    term_run(term=term1, acting_user=None)
    [refund] = refund_withdrawal(child=child, date=dt.date(2026, 12, 18), acting_user=None)
    assert (refund.days_left, refund.amount) == (6, D("25.00"))
    assert owed(term1, child_b) == D("350.00") - D("33.33") - D("25.00")


def test_the_command_runs_the_term(term1, child_b, approved):
    approved(term1, child_b)
    out = io.StringIO()
    call_command("charge_term", "--term", str(term1.pk), "--no-progress", stdout=out)
    assert owed(term1, child_b) == D("350.00")


def test_a_child_waived_in_full_gets_no_refund_and_no_error(term1, child_a, teacher, approved):
    """child_a is 家庭经济困难: 350.00 waived, nothing due, so 8 days absent refund nothing
    (found by bench/settle_term.py: it used to try to post an empty entry)."""
    approved(term1, child_a)
    for day in (9, 10, 11, 12, 13, 16, 17, 18):
        LeaveNote.objects.create(school=term1.school, student=child_a, date=dt.date(2026, 11, day),
                                 reason="病假", reported_by=teacher.user)
    result = term_run(term=term1, acting_user=None)
    assert (result.refunds, owed(term1, child_a)) == (0, D("0.00"))
