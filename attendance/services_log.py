"""Records of the service day: gate register, patrols, care logs, weekly class records,
incidents and the resolution of alerts. One action each, in a transaction (plans 3 and 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Alert, CareLog, GateEntry, Incident, Patrol, WeeklyClassRecord
from attendance.services import AttendanceError
from audit.services import record_event
from notices.services import notify
from people.actor import Actor
from people.models import Student, StudentGuardian
from people.roles import SCHOOL_LEADERS, Role
from programs.models import CareGroup, Session
from schools.models import SchoolClass, Term

GATE_ROLES = (Role.GUARD, Role.DUTY_LEADER, *SCHOOL_LEADERS)
DUTY_ROLES = (Role.DUTY_LEADER, *SCHOOL_LEADERS)


def _require(actor: Actor, *roles: str) -> None:
    if actor.staff_id is None or not actor.has_role(*roles):
        raise AttendanceError(_("Your role does not allow this."))


# --- Gate register and patrols ------------------------------------------------------------


@transaction.atomic
def record_gate_entry(
    *, actor: Actor, name: str, purpose: str, for_student: Student | None = None, now: dt.datetime | None = None,
) -> GateEntry:
    """门卫登记: a visitor or late pickup comes in at the gate."""
    _require(actor, *GATE_ROLES)
    if for_student is not None and for_student.school_id != actor.school_id:
        raise AttendanceError(_("This child is not of your school."))
    now = now or timezone.now()
    return GateEntry.objects.create(
        school_id=actor.school_id, date=timezone.localdate(now), name=name.strip(), purpose=purpose.strip(),
        for_student=for_student, time_in=now, recorded_by_id=actor.staff_id,
    )


@transaction.atomic
def record_gate_exit(*, actor: Actor, entry: GateEntry, now: dt.datetime | None = None) -> GateEntry:
    """The visitor leaves: the time out is written once."""
    _require(actor, *GATE_ROLES)
    entry = GateEntry.objects.select_for_update().get(pk=entry.pk, school_id=actor.school_id)
    if entry.time_out is not None:
        raise AttendanceError(_("This visitor has already left."))
    entry.time_out = now or timezone.now()
    entry.save(update_fields=["time_out"])
    return entry


@transaction.atomic
def record_patrol(
    *, actor: Actor, care_group: CareGroup | None = None, session: Session | None = None,
    all_well: bool = True, notes: str = "", now: dt.datetime | None = None,
) -> Patrol:
    """值班领导巡视 of one group or session (plan 7 六(四)4)."""
    _require(actor, *DUTY_ROLES)
    place = care_group or session
    if place is None or place.school_id != actor.school_id:
        raise AttendanceError(_("Choose a group or session of your school."))
    if not all_well and not notes.strip():
        raise AttendanceError(_("Say what was wrong."))
    now = now or timezone.now()
    return Patrol.objects.create(
        school_id=actor.school_id, date=timezone.localdate(now), leader_id=actor.staff_id,
        care_group=care_group, session=session, at=now, all_well=all_well, notes=notes.strip(),
    )


# --- Care logs and weekly class records ----------------------------------------------------


@transaction.atomic
def write_care_log(
    *, actor: Actor, care_group: CareGroup, date: dt.date, activities: str, notes: str = "",
) -> CareLog:
    """看管记录: the care teacher writes (or rewrites) the day's record of the group (plan 7 八.3(5))."""
    if care_group.school_id != actor.school_id or not (
        care_group.teacher_id == actor.staff_id or actor.has_role(*DUTY_ROLES)
    ):
        raise AttendanceError(_("Only the group's care teacher writes its care log."))
    if not activities.strip():
        raise AttendanceError(_("Say what was done."))
    log, _created = CareLog.objects.update_or_create(
        care_group=care_group, date=date,
        defaults={"school_id": care_group.school_id, "teacher_id": actor.staff_id,
                  "activities": activities.strip(), "notes": notes.strip()},
    )
    return log


@transaction.atomic
def write_weekly_record(
    *, actor: Actor, school_class: SchoolClass, term: Term, week_start: dt.date, content: str,
) -> WeeklyClassRecord:
    """班级活动记录: the head teacher's record of the week (plan 3: 由班主任每周填写活动记录)."""
    if school_class.school_id != actor.school_id or school_class.head_teacher_id != actor.staff_id:
        raise AttendanceError(_("Only the class's head teacher writes its weekly record."))
    if term.school_id != actor.school_id or not (term.start <= week_start <= term.end):
        raise AttendanceError(_("The week is not in this term."))
    if not content.strip():
        raise AttendanceError(_("Write what the class did this week."))
    week_start = week_start - dt.timedelta(days=week_start.weekday())
    record = WeeklyClassRecord.objects.select_for_update().filter(school_class=school_class, week_start=week_start).first()
    if record is not None and record.archived:
        raise AttendanceError(_("This record has been archived and can no longer be changed."))
    if record is None:
        record = WeeklyClassRecord(school_id=actor.school_id, school_class=school_class, term=term, week_start=week_start)
    record.content, record.written_by_id = content.strip(), actor.staff_id
    record.save()
    return record


@transaction.atomic
def archive_weekly_records(*, actor: Actor, term: Term) -> int:
    """期末上交学校存档 (plan 3): leaders archive the term's weekly records; return how many."""
    _require(actor, *SCHOOL_LEADERS)
    if term.school_id != actor.school_id:
        raise AttendanceError(_("This term is not of your school."))
    count = WeeklyClassRecord.objects.filter(term=term, archived=False).update(archived=True)
    record_event(action="weekly_records.archived", subject=term, actor=actor.user, new={"count": count})
    return count


# --- Incidents and alerts --------------------------------------------------------------------


@transaction.atomic
def report_incident(
    *, actor: Actor, kind: str, severity: str, students: Iterable[Student], description: str,
    actions: str = "", guardian_notified_at: dt.datetime | None = None, follow_up: str = "",
    now: dt.datetime | None = None,
) -> Incident:
    """Record an incident; a serious or critical one is escalated to the principal at once
    and the guardians of the children involved are told."""
    if actor.staff_id is None or actor.school_id is None:
        raise AttendanceError(_("Only staff of the school report incidents."))
    children = list(students)
    if any(s.school_id != actor.school_id for s in children):
        raise AttendanceError(_("A child in the list is not of this school."))
    if kind not in Incident.Kind.values or severity not in Incident.Severity.values:
        raise AttendanceError(_("Choose the kind and severity of the incident."))
    if not description.strip():
        raise AttendanceError(_("Say what happened."))
    now = now or timezone.now()
    serious = severity != Incident.Severity.MINOR
    incident = Incident.objects.create(
        school_id=actor.school_id, date=timezone.localdate(now), at=now, kind=kind, severity=severity,
        description=description.strip(), actions=actions.strip(), follow_up=follow_up.strip(),
        guardian_notified_at=guardian_notified_at or (now if serious and children else None),
        reported_by=actor.user, escalated_at=now if serious else None,
    )
    incident.students.set(children)
    record_event(action="incident.reported", subject=incident, actor=actor.user,
                 new={"kind": kind, "severity": severity, "students": [s.pk for s in children]})
    if serious:
        _escalate(incident, children)
    return incident


def _escalate(incident: Incident, children: list[Student]) -> None:
    message = _("%(severity)s incident (%(kind)s) escalated to the principal: %(what)s") % {
        "severity": incident.get_severity_display(), "kind": incident.get_kind_display(),
        "what": incident.description[:150]}
    for student in children or [None]:
        Alert.objects.create(school_id=incident.school_id, date=incident.date, kind="incident_escalated",
                             student=student, message=message[:300])
    links = StudentGuardian.objects.filter(student__in=children).select_related("student")
    for link in links:
        notify(
            guardian_id=link.guardian_id, school_id=incident.school_id, kind="attendance.incident",
            subject=_("Incident concerning %(name)s") % {"name": link.student.name},
            body=_("%(kind)s at %(time)s: %(what)s Actions taken: %(actions)s The school will contact you.") % {
                "kind": incident.get_kind_display(), "time": timezone.localtime(incident.at).strftime("%H:%M"),
                "what": incident.description, "actions": incident.actions or "—"},
        )


@transaction.atomic
def resolve_alert(*, actor: Actor, alert: Alert, now: dt.datetime | None = None) -> Alert:
    """The duty leader (or the child's head teacher) marks an alert as dealt with."""
    alert = Alert.objects.select_for_update(of=("self",)).select_related("student__school_class").get(pk=alert.pk)
    head = alert.student is not None and alert.student.school_class.head_teacher_id == actor.staff_id
    if alert.school_id != actor.school_id or not (head or actor.has_role(*DUTY_ROLES)):
        raise AttendanceError(_("Your role does not allow this."))
    if alert.resolved_at is None:
        alert.resolved_at, alert.resolved_by = now or timezone.now(), actor.user
        alert.save(update_fields=["resolved_at", "resolved_by"])
    return alert
