"""Reads for the service-day pages, scoped to who is asking (DESIGN.md §3 tenancy).

Every lookup by id answers 404 for "missing" and "not yours" alike; every list is built in
a fixed number of queries, whatever the number of children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from attendance.custody import ChildState, child_states
from attendance.models import Alert, HandOver, LeaveNote, Mark, Pickup, RefusedPickup, RollCall
from attendance.services import leave_for
from people.actor import Actor
from people.models import Guardian, Staff, Student, StudentGuardian
from people.presenters import Visibility, shown_phone
from programs.models import CareGroup, CareGroupMember, GroupFormingRun, Session
from schools.selectors import current_term

SERVICES = (GroupFormingRun.Service.AFTER_SCHOOL, GroupFormingRun.Service.NOON_CARE)


def latest_runs(school_id: int, date: dt.date) -> list[GroupFormingRun]:
    """Return the latest group forming run of each care service of the current term."""
    term = current_term(school_id, today=date)
    if term is None:
        return []
    runs = GroupFormingRun.objects.filter(term=term, service__in=SERVICES).order_by("-created_at", "-id")
    latest: dict[str, GroupFormingRun] = {}
    for run in runs:
        latest.setdefault(run.service, run)
    return list(latest.values())


def groups_of_teacher(actor: Actor, date: dt.date) -> list[CareGroup]:
    """Return today's care groups the acting staff member looks after."""
    if actor.staff_id is None or actor.school_id is None:
        return []
    runs = latest_runs(actor.school_id, date)
    return list(
        CareGroup.objects.filter(run__in=runs, teacher_id=actor.staff_id)
        .select_related("venue", "run")
        .order_by("run__service", "key")
    )


def sessions_of_instructor(actor: Actor, date: dt.date) -> list[Session]:
    """Return the club sessions of ``date`` the acting staff member teaches."""
    if actor.staff_id is None:
        return []
    return list(
        Session.objects.filter(school_id=actor.school_id, date=date, instructor_id=actor.staff_id,
                               status=Session.Status.SCHEDULED)
        .select_related("offering", "venue")
        .order_by("start")
    )


def todays_groups(school_id: int, date: dt.date) -> list[CareGroup]:
    """Return every care group of the school's current runs (for hand-overs and patrols)."""
    return list(
        CareGroup.objects.filter(run__in=latest_runs(school_id, date))
        .select_related("teacher", "venue", "run")
        .order_by("run__service", "key")
    )


def get_group_for(actor: Actor, group_id: int) -> CareGroup:
    """Return a care group of the actor's school, or raise 404."""
    if actor.school_id is None:
        raise Http404
    try:
        return CareGroup.objects.select_related("teacher", "venue", "run").get(pk=group_id, school_id=actor.school_id)
    except (CareGroup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_session_for(actor: Actor, session_id: int) -> Session:
    """Return a session of the actor's school, or raise 404."""
    if actor.school_id is None:
        raise Http404
    try:
        return Session.objects.select_related("offering", "venue", "instructor").get(
            pk=session_id, school_id=actor.school_id)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Roll call --------------------------------------------------------------------------


@dataclass
class RollRow:
    student: Student
    class_label: str
    status: str = ""
    leave_reason: str = ""
    picked_up: bool = False


def group_children(group: CareGroup) -> list[tuple[Student, str]]:
    """Return the group's children with their class label, in class and pinyin order."""
    members = (
        CareGroupMember.objects.filter(group=group)
        .select_related("student", "school_class")
        .order_by("school_class__grade", "school_class__number", "student__pinyin")
    )
    return [(m.student, m.school_class.label) for m in members]


def session_children(session: Session) -> list[tuple[Student, str]]:
    """Return the children placed in the session's offering (or its class, for class-based care)."""
    from enrollment.models import Choice

    placed = Choice.objects.filter(offering_id=session.offering_id, status=Choice.Status.PLACED).values(
        "child_application__student_id")
    scope = Q(pk__in=placed)
    if session.offering.school_class_id:
        scope |= Q(school_class_id=session.offering.school_class_id)
    students = (
        Student.objects.filter(scope, school_id=session.school_id, is_active=True)
        .select_related("school_class")
        .order_by("school_class__grade", "school_class__number", "pinyin")
    )
    return [(s, s.school_class.label) for s in students]


def roll_sheet(
    *, children: list[tuple[Student, str]], date: dt.date, school_id: int,
    care_group: CareGroup | None = None, session: Session | None = None,
) -> list[RollRow]:
    """Return one row per child, prefilled from existing marks, else from leave notes."""
    roll = RollCall.objects.filter(school_id=school_id, date=date, care_group=care_group, session=session).first()
    marks = dict(Mark.objects.filter(roll_call=roll).values_list("student_id", "status")) if roll else {}
    leave = leave_for(school_id=school_id, date=date)
    picked = set(Pickup.objects.filter(school_id=school_id, date=date).values_list("student_id", flat=True))
    rows = []
    for student, label in children:
        notes = [n for n in leave.get(student.pk, []) if n.session_id is None or
                 (session is not None and n.session_id == session.pk)]
        row = RollRow(student, label, leave_reason="; ".join(n.reason for n in notes),
                      picked_up=student.pk in picked)
        row.status = marks.get(student.pk) or (Mark.Status.LEAVE if notes else "")
        rows.append(row)
    return rows


# --- Hand-overs ---------------------------------------------------------------------------


def waiting_hand_overs(actor: Actor, date: dt.date) -> list[HandOver]:
    """Return today's hand-overs to the actor that they have not confirmed yet."""
    if actor.staff_id is None:
        return []
    return list(
        HandOver.objects.filter(to_staff_id=actor.staff_id, date=date, received_at__isnull=True)
        .select_related("from_staff", "care_group")
        .order_by("handed_at")
    )


def hand_over_names(hand_overs: list[HandOver]) -> dict[int, list[str]]:
    """Return the names of the children of each hand-over (one query)."""
    through = HandOver.students.through.objects.filter(handover__in=[h.pk for h in hand_overs]).values_list(
        "handover_id", "student__name").order_by("student__pinyin")
    names: dict[int, list[str]] = {}
    for handover_id, name in through:
        names.setdefault(handover_id, []).append(name)
    return names


def hand_overs_of_day(school_id: int, date: dt.date, *, staff_id: int | None = None) -> list[HandOver]:
    """Return the day's hand-overs (those from or to ``staff_id`` when given)."""
    qs = HandOver.objects.filter(school_id=school_id, date=date)
    if staff_id is not None:
        qs = qs.filter(Q(from_staff_id=staff_id) | Q(to_staff_id=staff_id))
    return list(qs.select_related("from_staff", "to_staff", "care_group").order_by("-handed_at"))


def adults_of_school(school_id: int) -> QuerySet[Staff]:
    return Staff.objects.filter(school_id=school_id, is_active=True).order_by("pinyin")


# --- Alerts and the duty screen ----------------------------------------------------------


def open_alerts(school_id: int, date: dt.date) -> list[Alert]:
    return list(
        Alert.objects.filter(school_id=school_id, date=date, resolved_at__isnull=True)
        .select_related("student", "student__school_class")
    )


def alerts_for_head_teacher(actor: Actor, date: dt.date) -> list[Alert]:
    """Return today's open alerts about children of the classes the actor heads."""
    if actor.staff_id is None:
        return []
    return list(
        Alert.objects.filter(school_id=actor.school_id, date=date, resolved_at__isnull=True,
                             student__school_class__head_teacher_id=actor.staff_id)
        .select_related("student", "student__school_class")
    )


def refused_pickups(school_id: int, date: dt.date) -> list[RefusedPickup]:
    return list(
        RefusedPickup.objects.filter(school_id=school_id, date=date).select_related("student", "recorded_by")
        .order_by("-at")
    )


@dataclass
class ServiceStates:
    service: str
    label: str
    missing: list[ChildState] = field(default_factory=list)
    total: int = 0


def unaccounted_now(school_id: int, date: dt.date, now: dt.datetime) -> list[ServiceStates]:
    """Return, per care service of the current term, the children nobody has confirmed."""
    term = current_term(school_id, today=date)
    if term is None:
        return []
    result = []
    for service in SERVICES:
        states = child_states(term=term, service=service, date=date, now=now)
        result.append(ServiceStates(service, str(service.label), [s for s in states if s.unaccounted], len(states)))
    return result


def may_lead_duty(actor: Actor) -> bool:
    """Duty leaders and school leaders watch the whole school (plan 2 三: 领导小组)."""
    from people.roles import SCHOOL_LEADERS, Role

    return actor.school_id is not None and actor.has_role(Role.DUTY_LEADER, *SCHOOL_LEADERS)


# --- Pickup ---------------------------------------------------------------------------------


@dataclass
class PickupCard:
    student: Student
    guardians: list[tuple[Guardian, str, str]]  # guardian, relation, phone as shown
    picked_up: Pickup | None = None


def pickup_cards(actor: Actor, students: list[Student], date: dt.date) -> list[PickupCard]:
    """Return each child with the guardians authorised to collect them (phones masked)."""
    visibility = Visibility.for_actor(actor)
    ids = [s.pk for s in students]
    links = (
        StudentGuardian.objects.filter(student_id__in=ids, may_pick_up=True)
        .select_related("guardian").order_by("-is_primary", "guardian__name")
    )
    by_student: dict[int, list[tuple[Guardian, str, str]]] = {}
    for link in links:
        by_student.setdefault(link.student_id, []).append(
            (link.guardian, link.get_relation_display(), shown_phone(link.guardian.phone, visibility)))
    pickups = {p.student_id: p for p in Pickup.objects.filter(student_id__in=ids, date=date).select_related("guardian")}
    return [PickupCard(s, by_student.get(s.pk, []), pickups.get(s.pk)) for s in students]


# --- Guardians ---------------------------------------------------------------------------------


def children_of_guardian(actor: Actor) -> list[Student]:
    if actor.guardian_id is None:
        return []
    return list(
        Student.objects.filter(guardian_links__guardian_id=actor.guardian_id, is_active=True)
        .select_related("school_class", "school").order_by("pinyin")
    )


def leave_notes_of_guardian(actor: Actor, since: dt.date) -> list[LeaveNote]:
    """Return the leave notes of the guardian's children from ``since`` on."""
    if actor.guardian_id is None:
        return []
    family = StudentGuardian.objects.filter(guardian_id=actor.guardian_id).values("student_id")
    return list(
        LeaveNote.objects.filter(student_id__in=family, date__gte=since)
        .select_related("student", "session__offering").order_by("date", "created_at")
    )


def sessions_for_leave(students: list[Student], since: dt.date) -> QuerySet[Session]:
    """Return upcoming sessions at the children's schools (to choose one for a leave note)."""
    return (
        Session.objects.filter(school_id__in={s.school_id for s in students}, date__gte=since,
                               date__lte=since + dt.timedelta(days=14), status=Session.Status.SCHEDULED)
        .select_related("offering").order_by("date", "start")
    )


# --- A child's day ---------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str
    text: str
    adult: str = ""
    flag: bool = False


def get_timeline_student(actor: Actor, student_id: int) -> Student:
    """Return the child if the actor is staff of the child's school with roster access or
    one of the child's guardians; 404 otherwise (district officers see reports, not days)."""
    from people.roles import Capability
    from people.selectors import get_student_for

    student = get_student_for(actor, student_id)
    own_school = actor.school_id == student.school_id and actor.may(Capability.VIEW_ROSTER)
    own_child = actor.guardian_id is not None and StudentGuardian.objects.filter(
        student=student, guardian_id=actor.guardian_id).exists()
    if not (own_school or own_child):
        raise Http404
    return student


def child_day(student: Student, date: dt.date) -> list[TimelineEntry]:
    """Return the child's day in time order: leave, roll calls, hand-overs, pickup, incidents."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from attendance.models import Incident, MarkCorrection

    entries: list[TimelineEntry] = []
    for note in LeaveNote.objects.filter(student=student, date=date).select_related("session__offering"):
        what = note.session.offering.name if note.session else _("the whole day")
        text = _("Leave reported for %(what)s: %(reason)s") % {"what": what, "reason": note.reason}
        if note.cancelled_at:
            text += " " + _("(cancelled)")
        # Reported on an earlier day: it heads the day's timeline.
        at = note.created_at if timezone.localdate(note.created_at) == date else timezone.make_aware(
            dt.datetime.combine(date, dt.time.min))
        entries.append(TimelineEntry(at, "leave", text))
    marks = Mark.objects.filter(student=student, roll_call__date=date).select_related(
        "roll_call__care_group", "roll_call__session__offering", "roll_call__taken_by")
    for mark in marks:
        roll = mark.roll_call
        where = roll.care_group.name if roll.care_group else roll.session.offering.name
        entries.append(TimelineEntry(mark.marked_at, "mark", _("Roll call in %(where)s: %(status)s") % {
            "where": where, "status": mark.get_status_display()}, roll.taken_by.name,
            flag=mark.status == Mark.Status.ABSENT))
    for fix in MarkCorrection.objects.filter(mark__student=student, mark__roll_call__date=date):
        entries.append(TimelineEntry(fix.corrected_at, "correction", _("Mark corrected from %(old)s to %(new)s") % {
            "old": Mark.Status(fix.old_status).label, "new": Mark.Status(fix.new_status).label}))
    for h in HandOver.objects.filter(students=student, date=date).select_related("from_staff", "to_staff"):
        entries.append(TimelineEntry(h.handed_at, "handed", _("Handed by %(from)s to %(to)s (%(n)d children)") % {
            "from": h.from_staff.name, "to": h.to_staff.name, "n": h.handed_count}, h.from_staff.name))
        if h.received_at:
            entries.append(TimelineEntry(h.received_at, "received", _("%(to)s confirmed receipt: %(n)d counted") % {
                "to": h.to_staff.name, "n": h.received_count}, h.to_staff.name, flag=h.mismatch))
    for p in Pickup.objects.filter(student=student, date=date).select_related("guardian", "released_by"):
        entries.append(TimelineEntry(p.at, "pickup", _("Picked up by %(who)s (%(check)s)") % {
            "who": p.guardian.name, "check": p.get_checked_by_display()}, p.released_by.name))
    for r in RefusedPickup.objects.filter(student=student, date=date).select_related("recorded_by"):
        entries.append(TimelineEntry(r.at, "refused", _("Pickup by %(who)s refused: %(reason)s") % {
            "who": r.claimed_by, "reason": r.reason}, r.recorded_by.name, flag=True))
    for i in Incident.objects.filter(students=student, date=date):
        entries.append(TimelineEntry(i.at, "incident", f"{i.get_kind_display()} ({i.get_severity_display()}): "
                                     f"{i.description}", flag=i.severity != Incident.Severity.MINOR))
    return sorted(entries, key=lambda e: e.at)


def sessions_of_school(school_id: int, date: dt.date) -> QuerySet[Session]:
    return (
        Session.objects.filter(school_id=school_id, date=date, status=Session.Status.SCHEDULED)
        .select_related("offering", "instructor").order_by("start")
    )
