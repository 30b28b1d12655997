"""What every staffing page needs: who is asking, which term and day, how refusals are shown."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone

from lib.pages import show_form_errors  # noqa: F401 — re-exported for the views
from people.actor import Actor
from people.roles import SCHOOL_LEADERS
from schools.models import Term
from schools.selectors import current_term


def staff_actor(request: HttpRequest) -> Actor:
    """Return the actor if they are staff of a school, else 403 (guardians, district officers)."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    return actor


def is_leader(actor: Actor) -> bool:
    """School leaders (principal, vice-principals, 教导处) run the roster, records and assessments."""
    return actor.has_role(*SCHOOL_LEADERS)


def leader_actor(request: HttpRequest) -> Actor:
    actor = staff_actor(request)
    if not is_leader(actor):
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


def chosen_date(request: HttpRequest, name: str = "date") -> dt.date:
    """Return ``?date=YYYY-MM-DD`` (404 when malformed), else today in the school's zone."""
    raw = request.POST.get(name) or request.GET.get(name) or ""
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None


def chosen_month(request: HttpRequest) -> dt.date:
    """Return the first day of ``?month=YYYY-MM``, else of this month."""
    raw = request.POST.get("month") or request.GET.get("month") or ""
    if not raw:
        return timezone.localdate().replace(day=1)
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise Http404 from None


def show_error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, getattr(error, "message", str(error)))


