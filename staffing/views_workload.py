"""Workload (核算工作量, plan 5): per person per week, month or term — sessions delivered,
periods, substitute periods, duty days — with the line plan 5 publishes (每周一通报，每月一小结)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from staffing.selectors import WINDOWS, window, workload
from staffing.views_common import chosen_date, chosen_term, is_leader, school_terms, staff_actor


@login_required
def workload_page(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    term = chosen_term(request, actor)
    kind = request.GET.get("window", "week")
    kind = kind if kind in WINDOWS else "week"
    anchor = chosen_date(request)
    rows, start, end = [], None, None
    if term is not None:
        anchor = min(max(anchor, term.start), term.end)
        start, end = window(kind, anchor, term)
        rows = workload(school_id=actor.school_id, start=start, end=end,
                        staff_id=None if is_leader(actor) else actor.staff_id)
    totals = {
        "delivered": sum(w.delivered for w in rows), "own": sum(w.own_periods for w in rows),
        "substitute": sum(w.substitute_periods for w in rows), "periods": sum(w.periods for w in rows),
        "missed": sum(w.missed for w in rows), "duty_days": sum(w.duty_days for w in rows),
    }
    return render(request, "staffing/workload.html", {
        "title": _("Workload"), "term": term, "terms": school_terms(actor), "rows": rows, "totals": totals,
        "window": kind, "windows": [("week", _("Week")), ("month", _("Month")), ("term", _("Term"))],
        "anchor": anchor, "start": start, "end": end,
    })
