"""Daily care actions: leave notes, roll calls, hand-overs, pickups.

Each is one transaction; hand-overs write their audit row and alerts in it, and an
absence without a leave note notifies the guardian at once (plan 7 八.3(5)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import (
    Alert,
    HandOver,
    LeaveNote,
    Mark,
    MarkCorrection,
    Pickup,
    RefusedPickup,
    RollCall,
)
from audit.services import record_event
from notices.services import notify
from people.actor import Actor
from people.models import Guardian, Staff, Student, StudentGuardian
from people.roles import Role
from programs.models import CareGroup, Session


class AttendanceError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- Leave notes ------------------------------------------------------------------------


@transaction.atomic
def report_leave(
    *, student: Student, actor: Actor, date: dt.date, reason: str,
    session: Session | None = None, now: dt.datetime | None = None,
) -> LeaveNote:
    """A guardian reports the child absent for the day or one session, before it starts."""
    now = now or timezone.now()
    if not StudentGuardian.objects.filter(student=student, guardian_id=actor.guardian_id).exists():
        raise AttendanceError(_("Only the child's own guardian can report leave."))
    if not reason.strip():
        raise AttendanceError(_("Give a reason for the leave."))
    starts = (
        timezone.make_aware(dt.datetime.combine(session.date, session.start))
        if session is not None
        else timezone.make_aware(dt.datetime.combine(date, dt.time(23, 59)))
    )
    if session is not None and (session.school_id != student.school_id or session.date != date):
        raise AttendanceError(_("That session is not on that day at this school."))
    if now >= starts:
        raise AttendanceError(_("Leave must be reported before it starts; tell the teacher directly."))
    return LeaveNote.objects.create(
        school_id=student.school_id, student=student, date=date, session=session,
        reason=reason.strip(), reported_by=actor.user,
    )


@transaction.atomic
def cancel_leave(*, note: LeaveNote, actor: Actor, now: dt.datetime | None = None) -> LeaveNote:
    """A guardian of the child's family withdraws a leave note before its day."""
    now = now or timezone.now()
    note = LeaveNote.objects.select_for_update().get(pk=note.pk)
    if not StudentGuardian.objects.filter(student_id=note.student_id, guardian_id=actor.guardian_id).exists():
        raise AttendanceError(_("Only the child's own guardian can cancel leave."))
    if note.cancelled_at is not None:
        raise AttendanceError(_("This leave note has already been cancelled."))
    if timezone.localdate(now) >= note.date:
        raise AttendanceError(_("Leave can be cancelled only before its day; tell the teacher directly."))
    note.cancelled_at = now
    note.save(update_fields=["cancelled_at"])
    return note


def leave_for(*, school_id: int, date: dt.date) -> dict[int, list[LeaveNote]]:
    """Return live leave notes of the day by student id (one query)."""
    notes: dict[int, list[LeaveNote]] = {}
    for note in LeaveNote.objects.filter(school_id=school_id, date=date, cancelled_at__isnull=True):
        notes.setdefault(note.student_id, []).append(note)
    return notes


def _on_leave(notes: list[LeaveNote], session_id: int | None) -> bool:
    return any(n.session_id is None or n.session_id == session_id for n in notes)


# --- Roll call --------------------------------------------------------------------------


def may_take_roll(actor: Actor, *, care_group: CareGroup | None, session: Session | None) -> bool:
    if actor.school_id is None:
        return False
    if actor.has_role(Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.MIDDLE_MANAGER, Role.DUTY_LEADER):
        return True
    if session is not None:
        return session.instructor_id == actor.staff_id
    return care_group is not None and care_group.teacher_id == actor.staff_id


@transaction.atomic
def take_roll_call(
    *, actor: Actor, date: dt.date, marks: dict[int, str],
    care_group: CareGroup | None = None, session: Session | None = None,
    now: dt.datetime | None = None,
) -> RollCall:
    """Record the marks of a roll call; a changed mark keeps its history.

    A child marked absent without a leave note makes the guardian hear of it at once.
    """
    now = now or timezone.now()
    context = care_group or session
    if context is None or actor.school_id != context.school_id or not may_take_roll(actor, care_group=care_group, session=session):
        raise AttendanceError(_("You may not take this roll call."))
    if any(status not in Mark.Status.values for status in marks.values()):
        raise AttendanceError(_("Unknown roll-call mark."))
    roll, _created = RollCall.objects.get_or_create(
        school_id=context.school_id, date=date, care_group=care_group, session=session,
        defaults={"taken_by_id": actor.staff_id, "taken_at": now},
    )
    existing = {m.student_id: m for m in roll.marks.select_for_update()}
    students = {s.pk: s for s in Student.objects.filter(pk__in=marks, school_id=context.school_id)}
    leave = leave_for(school_id=context.school_id, date=date)
    new_marks = []
    for student_id, status in marks.items():
        if student_id not in students:
            raise AttendanceError(_("A child in the list is not of this school."))
        mark = existing.get(student_id)
        if mark is None:
            new_marks.append(Mark(roll_call=roll, student_id=student_id, status=status, marked_by=actor.user, marked_at=now))
        elif mark.status != status:
            MarkCorrection.objects.create(mark=mark, old_status=mark.status, new_status=status,
                                          corrected_by=actor.user, corrected_at=now)
            mark.status, mark.marked_by, mark.marked_at = status, actor.user, now
            mark.save(update_fields=["status", "marked_by", "marked_at"])
        else:
            continue
        if status == Mark.Status.ABSENT and not _on_leave(leave.get(student_id, []), session.pk if session else None):
            _absent_without_leave(students[student_id], date)
    Mark.objects.bulk_create(new_marks)
    return roll


def _absent_without_leave(student: Student, date: dt.date) -> None:
    for link in StudentGuardian.objects.filter(student=student).select_related("guardian"):
        notify(
            guardian_id=link.guardian_id, school_id=student.school_id, kind="attendance.absent",
            subject=_("%(name)s is not at after-school care") % {"name": student.name},
            body=_("%(name)s was marked absent on %(date)s and no leave was reported. Please contact the school at once.")
            % {"name": student.name, "date": date},
        )
    Alert.objects.create(
        school_id=student.school_id, date=date, kind="absent_without_leave", student=student,
        message=_("%(name)s is absent without a leave note; the guardian has been notified.") % {"name": student.name},
    )


# --- Hand-overs -------------------------------------------------------------------------


@transaction.atomic
def hand_over(
    *, actor: Actor, kind: str, date: dt.date, to_staff: Staff, student_ids: Iterable[int],
    care_group: CareGroup | None = None, on_leave_count: int = 0, now: dt.datetime | None = None,
) -> HandOver:
    """Record that the acting teacher hands these children to ``to_staff`` (count and list)."""
    now = now or timezone.now()
    ids = sorted(set(student_ids))
    if actor.staff_id is None or to_staff.school_id != actor.school_id or to_staff.pk == actor.staff_id:
        raise AttendanceError(_("Hand the children to another adult of this school."))
    if Student.objects.filter(pk__in=ids, school_id=actor.school_id).count() != len(ids):
        raise AttendanceError(_("A child in the list is not of this school."))
    record = HandOver.objects.create(
        school_id=actor.school_id, date=date, kind=kind, care_group=care_group,
        from_staff_id=actor.staff_id, to_staff=to_staff, handed_count=len(ids),
        on_leave_count=on_leave_count, handed_at=now,
    )
    record.students.set(ids)
    record_event(action="handover.handed", subject=record, actor=actor.user,
                 new={"to": to_staff.pk, "count": len(ids), "kind": kind})
    return record


@transaction.atomic
def confirm_receipt(*, actor: Actor, hand_over: HandOver, received_count: int, now: dt.datetime | None = None) -> HandOver:
    """The receiving adult confirms the count; a difference is flagged on the spot."""
    now = now or timezone.now()
    record = HandOver.objects.select_for_update().get(pk=hand_over.pk)
    if record.to_staff_id != actor.staff_id:
        raise AttendanceError(_("Only the adult the children were handed to can confirm."))
    if record.received_at is not None:
        raise AttendanceError(_("This hand-over has already been confirmed."))
    record.received_count, record.received_at = received_count, now
    record.save(update_fields=["received_count", "received_at"])
    record_event(action="handover.received", subject=record, actor=actor.user,
                 new={"received": received_count, "handed": record.handed_count})
    if record.mismatch:
        Alert.objects.create(
            school_id=record.school_id, date=record.date, kind="count_mismatch",
            message=_("%(from)s handed %(handed)d children to %(to)s, who counted %(received)d.") % {
                "from": record.from_staff.name, "handed": record.handed_count,
                "to": record.to_staff.name, "received": received_count},
        )
    return record


# --- Pickup -------------------------------------------------------------------------------


def pickup_code(guardian: Guardian, date: dt.date) -> str:
    """Return the guardian's 6-digit code for the day (shown in their app, checked at the gate)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"pickup:{guardian.pk}:{date}".encode(), hashlib.sha256)
    return f"{int(digest.hexdigest(), 16) % 1_000_000:06d}"


def release_to_guardian(
    *, actor: Actor, student: Student, guardian: Guardian, date: dt.date,
    code: str = "", guardian_user=None, now: dt.datetime | None = None,
) -> Pickup:
    """Release a child to a guardian on the authorised list, verified by code or login.

    Anyone else is refused, and the attempt is kept and raised as an alert
    (中小学幼儿园安全管理办法 §31: never release a pupil to an unrelated adult).
    """
    now = now or timezone.now()
    if actor.school_id != student.school_id:
        raise AttendanceError(_("This child is not of your school."))
    authorised = StudentGuardian.objects.filter(student=student, guardian=guardian, may_pick_up=True).exists()
    if guardian_user is not None:
        verified, check = authorised and guardian.user_id == getattr(guardian_user, "pk", None), Pickup.Check.LOGIN
    else:
        verified, check = authorised and hmac.compare_digest(code.strip(), pickup_code(guardian, date)), Pickup.Check.CODE
    if not verified:
        reason = _("not on the authorised list") if not authorised else _("the code or login did not match")
        with transaction.atomic():  # the refusal is kept although the pickup does not happen
            RefusedPickup.objects.create(school_id=student.school_id, date=date, student=student,
                                         claimed_by=guardian.name, reason=reason, recorded_by_id=actor.staff_id, at=now)
            Alert.objects.create(school_id=student.school_id, date=date, kind="refused_pickup", student=student,
                                 message=_("Pickup of %(name)s by %(who)s refused: %(reason)s.") % {
                                     "name": student.name, "who": guardian.name, "reason": reason})
        raise AttendanceError(_("Pickup refused: %(reason)s.") % {"reason": reason})
    with transaction.atomic():
        if Pickup.objects.filter(student=student, date=date).exists():
            raise AttendanceError(_("%(name)s has already been picked up today.") % {"name": student.name})
        record = Pickup.objects.create(school_id=student.school_id, date=date, student=student, guardian=guardian,
                                       checked_by=check, released_by_id=actor.staff_id, at=now)
        record_event(action="handover.pickup", subject=record, actor=actor.user,
                     new={"student": student.pk, "guardian": guardian.pk, "check": check})
    return record
