"""Who may see pay: every staff member their own committed statements; finance and the
principal (Capability.VIEW_FINANCE) every line of their school. Refusals answer 404 for both
"missing" and "not yours"; guardians and district officers get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from payroll.models import PayLine, PayRun
from payroll.selectors import parse_month
from people.actor import Actor
from people.roles import Capability


def staff_actor(request: HttpRequest) -> Actor:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    return actor


def sees_all(actor: Actor) -> bool:
    return actor.may(Capability.VIEW_FINANCE)


def finance_actor(request: HttpRequest) -> Actor:
    actor = staff_actor(request)
    if not sees_all(actor):
        raise PermissionDenied
    return actor


def get_run_for(actor: Actor, month: str) -> PayRun:
    """Return the actor's school's run of ``month`` (YYYY-MM), else 404."""
    first = parse_month(month)
    run = (PayRun.objects.select_related("term", "school").filter(school_id=actor.school_id, month=first).first()
           if first else None)
    if run is None:
        raise Http404
    return run


def get_line_for(actor: Actor, month: str, staff_id: int) -> tuple[PayRun, PayLine]:
    """Return a statement's run and line: anyone's for finance, one's own committed one otherwise; else 404."""
    run = get_run_for(actor, month)
    if not sees_all(actor) and (staff_id != actor.staff_id or run.status != PayRun.Status.COMMITTED):
        raise Http404
    line = run.lines.select_related("staff").filter(staff_id=staff_id).first()
    if line is None:
        raise Http404
    return run, line
