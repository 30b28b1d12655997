"""What every service-day page needs: who may act, which day, how refusals are shown."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from people.actor import Actor
from people.roles import SCHOOL_LEADERS, Capability, Role

# Adults who have children in their care during service time.
CARING_ROLES = (
    Role.TEACHER, Role.HEAD_TEACHER, Role.EXTERNAL_INSTRUCTOR, Role.VOLUNTEER, Role.DUTY_LEADER, *SCHOOL_LEADERS,
)
DUTY_ROLES = (Role.DUTY_LEADER, *SCHOOL_LEADERS)
GATE_ROLES = (Role.GUARD, Role.DUTY_LEADER, *SCHOOL_LEADERS)


def staff_actor(request: HttpRequest, *roles: str) -> Actor:
    """Return the actor if they are staff of a school (holding one of ``roles``), else 403."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    if roles and not actor.has_role(*roles):
        raise PermissionDenied
    return actor


def roster_actor(request: HttpRequest) -> Actor:
    """Return the actor if they are staff who may see the school's roster, else 403."""
    actor = staff_actor(request)
    if not actor.may(Capability.VIEW_ROSTER):
        raise PermissionDenied
    return actor


def service_day(request: HttpRequest) -> dt.date:
    """Return the day asked for by ``?date=`` (ISO), else today in the school's time zone."""
    raw = request.POST.get("date") or request.GET.get("date") or ""
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def moment_of(date: dt.date) -> dt.datetime:
    """Return now for today; for another day, its last minute (to read the day as it ended)."""
    if date == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(date, dt.time(23, 59)))
