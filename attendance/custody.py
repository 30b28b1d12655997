"""Where is every child right now? The custody chain read back from the day's records.

For each child expected in class-based care today (a member of the latest care groups),
the day's events are replayed in time order: hand-overs (handed, then received), roll-call
marks, leave notes and the pickup. A child is *unaccounted* when, after the service has
started (plus a grace period), nobody has confirmed having them; or, after it has ended
(plus grace), they are neither picked up, nor confirmed with the duty teacher, nor on leave.
A fixed number of queries, whatever the number of children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import HandOver, Mark, Pickup
from attendance.services import leave_for
from programs.models import CareGroupMember, GroupFormingRun
from programs.selectors import plan_document_for
from schools.models import Term

GRACE = dt.timedelta(minutes=15)


@dataclass
class ChildState:
    student_id: int
    name: str
    class_label: str
    group_name: str
    state: str  # waiting / with_adult / handed_unconfirmed / on_leave / absent / picked_up
    adult: str = ""  # who has (or last had) the child
    since: dt.datetime | None = None
    unaccounted: bool = False
    why: str = ""


def _window(term: Term, service: str, date: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    doc = plan_document_for(term)
    if doc is None:
        return None
    for window in doc.windows_of(service):
        if date.weekday() in window.weekdays or date.weekday() >= 5:
            start = timezone.make_aware(dt.datetime.combine(date, dt.time.fromisoformat(str(window.start))))
            end = timezone.make_aware(dt.datetime.combine(date, dt.time.fromisoformat(str(window.end))))
            return start, end
    return None


def child_states(*, term: Term, service: str, date: dt.date, now: dt.datetime | None = None) -> list[ChildState]:
    """Return the custody state of every child in the term's care groups of ``service``."""
    now = now or timezone.now()
    run = GroupFormingRun.objects.filter(term=term, service=service).order_by("-created_at", "-id").first()
    window = _window(term, service, date)
    if run is None or window is None:
        return []
    start, end = window
    members = list(
        CareGroupMember.objects.filter(group__run=run)
        .select_related("student", "school_class", "group__teacher")
        .order_by("school_class__grade", "school_class__number", "student__pinyin")
    )
    states = {
        m.student_id: ChildState(m.student_id, m.student.name, m.school_class.label, m.group.name, "waiting",
                                 adult=m.group.teacher.name if m.group.teacher else "")
        for m in members
    }
    events: list[tuple[dt.datetime, int, str, str]] = []  # (time, student, what, adult)
    hand_overs = HandOver.objects.filter(school_id=term.school_id, date=date).select_related("from_staff", "to_staff")
    through = HandOver.students.through.objects.filter(handover__in=hand_overs).values_list("handover_id", "student_id")
    by_handover: dict[int, list[int]] = {}
    for handover_id, student_id in through:
        by_handover.setdefault(handover_id, []).append(student_id)
    for h in hand_overs:
        for student_id in by_handover.get(h.pk, []):
            events.append((h.handed_at, student_id, "handed", h.from_staff.name))
            if h.received_at is not None:
                events.append((h.received_at, student_id, "received", h.to_staff.name))
    for mark in Mark.objects.filter(roll_call__care_group__run=run, roll_call__date=date).select_related("roll_call__taken_by"):
        what = {"present": "received", "late": "received", "absent": "absent", "leave": "on_leave"}[mark.status]
        events.append((mark.marked_at, mark.student_id, what, mark.roll_call.taken_by.name))
    for pickup in Pickup.objects.filter(school_id=term.school_id, date=date).select_related("guardian"):
        events.append((pickup.at, pickup.student_id, "picked_up", pickup.guardian.name))
    leave = leave_for(school_id=term.school_id, date=date)

    for at, student_id, what, adult in sorted(events, key=lambda e: e[0]):
        state = states.get(student_id)
        if state is None or state.state == "picked_up":
            continue
        state.since = at
        if what == "handed":
            state.state, state.adult = "handed_unconfirmed", adult
        elif what == "received":
            state.state, state.adult = "with_adult", adult
        else:
            state.state = what
            if what == "picked_up":
                state.adult = adult
    for student_id, state in states.items():
        if student_id in leave and state.state in ("waiting", "absent"):
            state.state = "on_leave"
        _judge(state, now=now, start=start, end=end)
    return list(states.values())


def _judge(state: ChildState, *, now: dt.datetime, start: dt.datetime, end: dt.datetime) -> None:
    if state.state in ("on_leave", "absent", "picked_up"):
        return
    if now >= end + GRACE and not (state.state == "with_adult" and state.since and state.since >= end - GRACE):
        state.unaccounted = True
        state.why = _("Service ended at %(end)s and the child has not been picked up or handed back.") % {
            "end": timezone.localtime(end).strftime("%H:%M")}
    elif now >= start + GRACE and state.state == "waiting":
        state.unaccounted = True
        state.why = _("Service started at %(start)s and no adult has confirmed having the child.") % {
            "start": timezone.localtime(start).strftime("%H:%M")}
    elif now >= start + GRACE and state.state == "handed_unconfirmed":
        state.unaccounted = True
        state.why = _("Handed over by %(adult)s but nobody confirmed receiving the child.") % {"adult": state.adult}


def unaccounted(*, term: Term, service: str, date: dt.date, now: dt.datetime | None = None) -> list[ChildState]:
    return [s for s in child_states(term=term, service=service, date=date, now=now) if s.unaccounted]
