"""Staffing actions: the duty roster, teaching records and events derived from the day's
evidence, teachers' leave with substitutes, inspections, and the principal's overrides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import HandOver, RollCall
from audit.services import record_event
from people.actor import Actor
from people.models import Staff
from people.roles import SCHOOL_LEADERS
from programs.models import Session
from programs.services import ProgramError
from programs.sessions import substitute_session
from schools.calendar import school_days
from schools.models import Term
from staffing.models import (
    DutyAssignment,
    DutyPattern,
    Inspection,
    LeaveRequest,
    PerformanceEvent,
    TeachingRecord,
    TeachingRecordChange,
)

# A roll call taken this long after the start counts as a late start (plan 1 绩效考核 3).
LATE_AFTER = dt.timedelta(minutes=5)


class StaffingError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _leader(actor: Actor) -> None:
    if not actor.roles & SCHOOL_LEADERS:
        raise StaffingError(_("Only the school's leaders may do this."))


@transaction.atomic
def generate_duty_roster(*, term: Term) -> int:
    """Create the term's duties from the weekly pattern on every school day; re-runnable."""
    patterns = list(DutyPattern.objects.filter(term=term))
    duties = [
        DutyAssignment(school_id=term.school_id, term=term, date=day.date, post=p.post, staff_id=p.staff_id)
        for day in school_days(term)
        for p in patterns
        if p.weekday == day.timetable_weekday
    ]
    before = DutyAssignment.objects.filter(term=term).count()
    DutyAssignment.objects.bulk_create(duties, ignore_conflicts=True, batch_size=1000)
    return DutyAssignment.objects.filter(term=term).count() - before


def _event(staff_id, kind, date, key, evidence, *, school_id, session=None, periods=0) -> None:
    PerformanceEvent.objects.get_or_create(
        staff_id=staff_id, kind=kind, source_key=key,
        defaults={"school_id": school_id, "date": date, "session": session, "periods": periods, "evidence": evidence},
    )


@transaction.atomic
def derive_day(*, school_id: int, date: dt.date) -> list[TeachingRecord]:
    """Fill the day's teaching records and breach events from sessions, roll calls and hand-overs.

    Records confirmed or corrected by people are left alone; deriving twice adds nothing.
    """
    sessions = list(Session.objects.filter(school_id=school_id, date=date).select_related("slot"))
    rolls = {r.session_id: r for r in RollCall.objects.filter(school_id=school_id, date=date, session__isnull=False)}
    kept = set(
        TeachingRecord.objects.filter(session__in=sessions, confirmed_at__isnull=False).values_list("session_id", flat=True)
    ) | set(TeachingRecordChange.objects.filter(record__session__in=sessions).values_list("record__session_id", flat=True))
    records = []
    for s in sessions:
        if s.pk in kept:
            continue
        start = timezone.make_aware(dt.datetime.combine(s.date, s.start))
        roll = rolls.get(s.pk)
        minutes = 0
        if s.status == Session.Status.CANCELLED:
            outcome = TeachingRecord.Outcome.NOT_HELD
        elif roll is None:
            outcome = TeachingRecord.Outcome.MISSED
            _event(s.instructor_id, PerformanceEvent.Kind.UNEXCUSED_ABSENCE, date, f"session:{s.pk}",
                   _("No roll call for %(session)s") % {"session": s}, school_id=school_id, session=s, periods=1)
        elif roll.taken_at > start + LATE_AFTER:
            outcome = TeachingRecord.Outcome.LATE_START
            minutes = int((roll.taken_at - start).total_seconds() // 60)
            _event(s.instructor_id, PerformanceEvent.Kind.LATE_EARLY_OR_SWAP, date, f"session:{s.pk}",
                   _("Roll call %(minutes)d minutes after the start of %(session)s") % {"minutes": minutes, "session": s},
                   school_id=school_id, session=s, periods=1)
        elif s.substitute_for_id:
            outcome = TeachingRecord.Outcome.SUBSTITUTE
        else:
            outcome = TeachingRecord.Outcome.DELIVERED
        record, _created = TeachingRecord.objects.update_or_create(
            session=s,
            defaults={"school_id": school_id, "date": date, "teacher_id": s.instructor_id,
                      "outcome": outcome, "periods": 1, "minutes_off": minutes},
        )
        records.append(record)
    for h in HandOver.objects.filter(school_id=school_id, date=date).select_related("to_staff"):
        if h.received_at is None or h.mismatch:
            _event(h.from_staff_id, PerformanceEvent.Kind.HANDOVER_BREACH, date, f"handover:{h.pk}",
                   _("Hand-over to %(to)s: %(what)s") % {
                       "to": h.to_staff.name,
                       "what": _("never confirmed") if h.received_at is None
                       else _("%(a)d handed, %(b)d received") % {"a": h.handed_count, "b": h.received_count}},
                   school_id=school_id)
    return records


@transaction.atomic
def correct_record(*, record: TeachingRecord, outcome: str, reason: str, actor: Actor) -> TeachingRecord:
    """教导处 corrects a record; the history keeps what it was and why it changed."""
    _leader(actor)
    if not reason.strip():
        raise StaffingError(_("Say why the record is corrected."))
    TeachingRecordChange.objects.create(record=record, old_outcome=record.outcome, new_outcome=outcome,
                                        reason=reason.strip(), changed_by=actor.user)
    record.outcome = outcome
    record.save(update_fields=["outcome"])
    return record


@transaction.atomic
def request_leave(*, teacher: Staff, sessions: Iterable[Session], reason: str) -> LeaveRequest:
    sessions = list(sessions)
    if not sessions or any(s.instructor_id != teacher.pk for s in sessions):
        raise StaffingError(_("Choose your own sessions to ask leave for."))
    leave = LeaveRequest.objects.create(school_id=teacher.school_id, teacher=teacher, reason=reason)
    leave.sessions.set(sessions)
    return leave


@transaction.atomic
def decide_leave(*, leave: LeaveRequest, approve: bool, actor: Actor, substitute: Staff | None = None) -> LeaveRequest:
    """The principal approves with a substitute (checked for clashes and vetting) or refuses.

    Plan 1 绩效考核 2: 有事要请假，经校长批准安排替班老师.
    """
    _leader(actor)
    if leave.status != LeaveRequest.Status.REQUESTED:
        raise StaffingError(_("This leave has already been decided."))
    if approve:
        if substitute is None:
            raise StaffingError(_("Name a substitute for the sessions."))
        for session in leave.sessions.all():
            try:
                substitute_session(session=session, substitute=substitute,
                                   reason=_("Leave of %(name)s: %(reason)s") % {"name": leave.teacher.name, "reason": leave.reason},
                                   acting_user=actor.user)
            except ProgramError as exc:
                raise StaffingError("; ".join(exc.problems)) from None
    leave.status = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REFUSED
    leave.substitute, leave.decided_by, leave.decided_at = substitute, actor.user, timezone.now()
    leave.save()
    return leave


@transaction.atomic
def record_inspection(*, actor: Actor, teacher: Staff, kind: str, at: dt.datetime, scores: tuple[int, int, int],
                      notes: str = "", session: Session | None = None) -> Inspection:
    if actor.staff_id is None or teacher.school_id != actor.school_id:
        raise StaffingError(_("Inspect a teacher of your own school."))
    if any(s < 0 or s > 10 for s in scores):
        raise StaffingError(_("Scores run from 0 to 10."))
    return Inspection.objects.create(
        school_id=teacher.school_id, teacher=teacher, inspector_id=actor.staff_id, kind=kind, at=at, session=session,
        attendance_score=scores[0], content_score=scores[1], quality_score=scores[2], notes=notes,
    )


@transaction.atomic
def override_event(*, event: PerformanceEvent, reason: str, actor: Actor) -> PerformanceEvent:
    """The principal sets an event aside (an appeal upheld); audited with the reason."""
    _leader(actor)
    if not reason.strip():
        raise StaffingError(_("Say why the event is set aside."))
    event.overridden, event.override_reason, event.overridden_by = True, reason.strip(), actor.user
    event.save(update_fields=["overridden", "override_reason", "overridden_by"])
    record_event(action="performance.overridden", subject=event, actor=actor.user,
                 old={"overridden": False}, new={"overridden": True, "reason": reason.strip()})
    return event


@transaction.atomic
def confirm_record(*, record: TeachingRecord, actor: Actor) -> TeachingRecord:
    """The teacher confirms their own record; later derivations leave it alone."""
    if actor.staff_id is None or record.teacher_id != actor.staff_id:
        raise StaffingError(_("You can confirm only your own teaching records."))
    if record.confirmed_at is None:
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_at"])
    return record


@transaction.atomic
def add_commendation(*, staff: Staff, date: dt.date, evidence: str, actor: Actor) -> PerformanceEvent:
    """A leader commends a staff member; commendations feed the term awards (plan 1 绩效考核 7)."""
    _leader(actor)
    if staff.school_id != actor.school_id:
        raise StaffingError(_("Commend a staff member of your own school."))
    if not evidence.strip():
        raise StaffingError(_("Say what the commendation is for."))
    event = PerformanceEvent.objects.create(
        school_id=staff.school_id, staff=staff, date=date, kind=PerformanceEvent.Kind.COMMENDATION,
        evidence=evidence.strip(), source_key=f"commendation:{timezone.now():%Y%m%d%H%M%S%f}",
    )
    record_event(action="performance.commended", subject=event, actor=actor.user,
                 new={"staff": staff.pk, "date": date.isoformat(), "evidence": evidence.strip()})
    return event
