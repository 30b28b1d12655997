"""Session pages: an offering's dated sessions with their history; move, cancel, substitute."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from people.models import Staff
from programs.forms import CancelForm, MoveForm, SubstituteForm
from programs.models import Session, SessionChange
from programs.selectors import get_school_offering, get_school_session
from programs.services import ProgramError
from programs.sessions import cancel_session, move_session, substitute_session
from programs.views_common import manager, may_manage, reader, show_form_errors, show_problems
from schools.models import Venue

_LABELS = {
    "date": gettext_lazy("date"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "venue": gettext_lazy("venue"),
    "instructor": gettext_lazy("instructor"),
    "substitute_for": gettext_lazy("substitute for"),
    "status": gettext_lazy("status"),
}


@dataclass(frozen=True)
class ChangeLine:
    """One row of a session's history, in words."""

    when: object
    kind: str
    what: str
    reason: str
    by: str


def _history(changes: list[SessionChange], names: dict[str, dict[int, str]]) -> list[ChangeLine]:
    statuses = dict(Session.Status.choices)

    def show(field: str, value) -> str:
        if value is None or value == "":
            return "—"
        if field in names:
            return names[field].get(value, str(value))
        if field == "status":
            return str(statuses.get(value, value))
        return str(value)[:5] if field in {"start", "end"} else str(value)

    lines = []
    for change in changes:
        parts = [
            f"{_LABELS.get(field, field)}: {show(field, change.old_values.get(field))} → "
            f"{show(field, new)}"
            for field, new in change.new_values.items()
            if change.old_values.get(field) != new
        ]
        user = change.changed_by
        lines.append(
            ChangeLine(
                when=change.changed_at,
                kind=change.get_kind_display(),
                what="; ".join(parts),
                reason=change.reason,
                by=(user.get_full_name() or user.username) if user else "",
            )
        )
    return lines


def _names(school_id: int) -> dict[str, dict[int, str]]:
    """Return the names history rows refer to by id: venues and staff of the school."""
    staff = dict(Staff.objects.filter(school_id=school_id).values_list("pk", "name"))
    return {
        "venue": dict(Venue.objects.filter(school_id=school_id).values_list("pk", "name")),
        "instructor": staff,
        "substitute_for": staff,
    }


@login_required
def session_list(request, offering_id: int):
    """List the term's sessions of an offering by date, each with its history."""
    actor = reader(request)
    offering = get_school_offering(actor, offering_id)
    sessions = list(
        Session.objects.filter(offering=offering, school_id=actor.school_id)
        .select_related("venue", "instructor", "substitute_for")
        .prefetch_related("changes__changed_by")
        .order_by("date", "start")
    )
    names = _names(actor.school_id)
    rows = [(s, _history(list(s.changes.all()), names)) for s in sessions]
    return render(
        request,
        "programs/session_list.html",
        {
            "title": _("Sessions of %(name)s") % {"name": offering.name},
            "offering": offering,
            "term": offering.term,
            "rows": rows,
            "may_manage": may_manage(actor),
        },
    )


@login_required
def session_detail(request, session_id: int):
    actor = reader(request)
    session = get_school_session(actor, session_id)
    manage = may_manage(actor)
    changes = list(session.changes.select_related("changed_by"))
    context = {
        "title": str(session),
        "session": session,
        "offering": session.offering,
        "history": _history(changes, _names(actor.school_id)),
        "may_manage": manage,
    }
    if manage:
        context |= {
            "move_form": MoveForm(
                school_id=actor.school_id,
                initial={
                    "date": session.date,
                    "start": session.start,
                    "end": session.end,
                    "venue": session.venue_id,
                },
            ),
            "cancel_form": CancelForm(),
            "substitute_form": SubstituteForm(school_id=actor.school_id),
        }
    return render(request, "programs/session_detail.html", context)


def _act(request, session_id: int, form_class, action, success: str):
    """Validate the form, run the session service, show the outcome, go back to the session."""
    actor = manager(request)
    session = get_school_session(actor, session_id)
    kwargs = {} if form_class is CancelForm else {"school_id": actor.school_id}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        show_form_errors(request, form)
    else:
        try:
            action(session=session, acting_user=request.user, **form.cleaned_data)
        except ProgramError as exc:
            show_problems(request, exc.problems)
        else:
            messages.success(request, success)
    return redirect("programs:session_detail", session.pk)


@login_required
@require_POST
def move(request, session_id: int):
    return _act(request, session_id, MoveForm, move_session, _("The session has been moved."))


@login_required
@require_POST
def cancel(request, session_id: int):
    return _act(
        request, session_id, CancelForm, cancel_session, _("The session has been cancelled.")
    )


@login_required
@require_POST
def substitute(request, session_id: int):
    return _act(
        request,
        session_id,
        SubstituteForm,
        substitute_session,
        _("The substitute has been assigned."),
    )
