"""Writes about people. Each function is one business action in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from people.actor import Actor
from people.models import Staff, StaffRole, Student
from people.roles import Capability, Role


class NotPermitted(Exception):
    """The actor's roles do not allow this action."""


class NotAssignable(Exception):
    """A staff member may not be put in charge of children (yet)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_assignable(*, staff: Staff) -> None:
    """Raise NotAssignable unless ``staff`` may be assigned to care for children.

    External instructors and volunteers must be vetted and filed with the education
    authority first (plan 7 六(五)); inactive staff are never assignable. Later issues
    (programs, staffing) call this before every assignment or substitution.
    """
    if not staff.is_active:
        raise NotAssignable(_("%(name)s is no longer active.") % {"name": staff.name})
    if staff.needs_vetting and not staff.is_vetted:
        raise NotAssignable(
            _(
                "%(name)s is an external instructor or volunteer without a complete vetting "
                "record (qualification, health check, filing with the education authority)."
            )
            % {"name": staff.name}
        )


@transaction.atomic
def reveal_national_id(*, student: Student, actor: Actor, ip_address: str | None = None) -> str:
    """Return the student's full ID number and record the read in the audit log."""
    if not actor.may(Capability.VIEW_NATIONAL_ID) or actor.school_id != student.school_id:
        raise NotPermitted
    record_event(
        action="unmasked_read.national_id",
        subject=student,
        actor=actor.user,
        ip_address=ip_address,
    )
    return student.national_id


@transaction.atomic
def set_staff_roles(*, staff: Staff, roles: set[str], acting_user) -> None:
    """Replace a staff member's roles and audit the change (a role change is a trust event)."""
    valid = {r.value for r in Role}
    unknown = roles - valid
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    old = set(StaffRole.objects.filter(staff=staff).values_list("role", flat=True))
    if old == roles:
        return
    StaffRole.objects.filter(staff=staff).exclude(role__in=roles).delete()
    StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in roles - old])
    record_event(
        action="staff.roles_changed",
        subject=staff,
        actor=acting_user,
        old={"roles": sorted(old)},
        new={"roles": sorted(roles)},
    )
