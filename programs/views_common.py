"""What every programs page needs: who may read or edit, which term, how refusals are shown."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from lib.pages import show_form_errors, show_problems  # noqa: F401 — re-exported for the views
from people.actor import Actor
from people.roles import Capability
from schools.models import Term
from schools.selectors import current_term


def reader(request: HttpRequest) -> Actor:
    """Return the actor if they are staff of a school (any staff may read programs), else 403."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    return actor


def may_manage(actor: Actor) -> bool:
    return actor.may(Capability.MANAGE_PROGRAMS)


def manager(request: HttpRequest) -> Actor:
    """Return the actor if they may edit programs (school leaders), else 403."""
    actor = reader(request)
    if not may_manage(actor):
        raise PermissionDenied
    return actor


def school_terms(actor: Actor):
    return Term.objects.filter(school_id=actor.school_id).order_by("-start")


def chosen_term(request: HttpRequest, actor: Actor) -> Term | None:
    """Return the term named by ``?term=`` (404 unless the actor's school's), else the current one."""
    raw = request.POST.get("term") or request.GET.get("term") or ""
    if not raw:
        return current_term(actor.school_id)
    term = school_terms(actor).filter(pk=int(raw)).first() if raw.isdigit() else None
    if term is None:
        raise Http404
    return term


