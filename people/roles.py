"""The roles people hold in Kehou, and what each role may do: named in one place.

Views, the API and exports ask ``may(actor, Capability.X)``; no other module lists roles.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles of a school (全员参与: guards and cleaners too, plan 1)."""

    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice-principal")
    MIDDLE_MANAGER = "middle_manager", _("Middle manager (academic affairs)")
    TEACHER = "teacher", _("Teacher")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    DUTY_LEADER = "duty_leader", _("Duty leader")
    GUARD = "guard", _("Guard / security")
    CLEANER = "cleaner", _("Cleaner / caretaker")
    FINANCE = "finance", _("Finance")
    EXTERNAL_INSTRUCTOR = "external_instructor", _("External instructor")
    VOLUNTEER = "volunteer", _("Volunteer")


# Roles whose holders come from outside the school and must be vetted before assignment
# (plan 7: 对入校参与课后服务的志愿者在教育资质和身体条件等方面进行审核 … 报属地教育主管部门备案).
ROLES_NEEDING_VETTING = frozenset({Role.EXTERNAL_INSTRUCTOR, Role.VOLUNTEER})

SCHOOL_LEADERS = frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.MIDDLE_MANAGER})


class Capability(StrEnum):
    VIEW_ROSTER = "view_roster"
    MANAGE_ROSTER = "manage_roster"  # import, edit students and guardians
    VIEW_NATIONAL_ID = "view_national_id"  # unmasked; every read is audited
    VIEW_PHONE = "view_phone"  # unmasked guardian phones
    VIEW_PRIORITY_FLAGS = "view_priority_flags"  # 随迁/单亲/留守/困难/残疾 are sensitive
    MANAGE_CALENDAR = "manage_calendar"
    MANAGE_PROGRAMS = "manage_programs"  # offerings, slots, sessions, group forming
    VIEW_FINANCE = "view_finance"
    MANAGE_ENROLLMENT = "manage_enrollment"  # school review, committee record, allocation
    VIEW_DASHBOARD = "view_dashboard"  # the school's dashboard
    VIEW_PERIOD_REPORTS = "view_period_reports"  # weekly report, monthly and term summaries (named)
    MANAGE_EVENTS = "manage_events"  # showcases (结业汇报) and competitions


# Who may do what. Keep this table the only place that grants a capability.
CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_ROSTER: frozenset(
        SCHOOL_LEADERS
        | {Role.TEACHER, Role.HEAD_TEACHER, Role.DUTY_LEADER, Role.GUARD, Role.FINANCE}
    ),
    Capability.MANAGE_ROSTER: SCHOOL_LEADERS,
    # ID numbers are needed for insurance and enrolment records: leaders only.
    Capability.VIEW_NATIONAL_ID: SCHOOL_LEADERS,
    # Those who must reach a family when a child is not collected (plan 1 §(四)4).
    Capability.VIEW_PHONE: frozenset(SCHOOL_LEADERS | {Role.HEAD_TEACHER, Role.DUTY_LEADER}),
    # Family hardship decides waivers and priority; never shown to teachers or guards
    # (未成年人学校保护规定 2021: do not disclose family hardship).
    Capability.VIEW_PRIORITY_FLAGS: frozenset(SCHOOL_LEADERS | {Role.FINANCE}),
    Capability.MANAGE_CALENDAR: SCHOOL_LEADERS,
    Capability.MANAGE_PROGRAMS: SCHOOL_LEADERS,
    Capability.VIEW_FINANCE: frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.FINANCE}),
    Capability.MANAGE_ENROLLMENT: SCHOOL_LEADERS,
    Capability.VIEW_DASHBOARD: SCHOOL_LEADERS,
    # Plan 5 五 3: leaders report on teachers weekly and monthly; finance reads them for pay deductions.
    Capability.VIEW_PERIOD_REPORTS: frozenset(SCHOOL_LEADERS | {Role.FINANCE}),
    Capability.MANAGE_EVENTS: SCHOOL_LEADERS,
}
