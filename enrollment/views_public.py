"""Published results (公示): lottery draws and rosters.

Lottery results are public and need no sign-in: they hold receipts, the seed, the order,
tier sizes and cut-offs, and the input hash — never a name or which receipt is in which
tier (that would disclose family hardship; 未成年人学校保护规定 2021). Anyone can re-run
the order from the page. Rosters show masked names and classes, no IDs, phones or flags,
to the school's own community (plan 7: 名单确定后在全校进行公示).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrollment import selectors
from enrollment.forms import ReceiptForm
from enrollment.pdf import roster_pdf
from plans.pdf import CJKFontMissing
from plans.selectors import published_plan_for

SERVICE_NAMES = {
    "after_school": gettext_lazy("After-school care"),
    "noon_care": gettext_lazy("Noon care"),
    "meals": gettext_lazy("School lunch"),
}


def published_index(request: HttpRequest, school_code: str, term_id: int) -> HttpResponse:
    """The term's published results: each offering's draws and roster, the care rosters."""
    term = selectors.public_term(school_code=school_code, term_id=term_id)
    return render(request, "enrollment/published_index.html", {
        "title": _("Published results"),
        "term": term,
        "school": term.school,
        "offerings": selectors.published_offerings(term),
        "services": [(key, str(name)) for key, name in SERVICE_NAMES.items()],
        "plan": published_plan_for(term),
    })


def lottery(request: HttpRequest, school_code: str, offering_id: int) -> HttpResponse:
    """The lottery draws of one offering, how to re-run them, and a receipt check."""
    offering = selectors.public_offering(school_code=school_code, offering_id=offering_id)
    draws = selectors.draws_of_offering(offering)
    form = ReceiptForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["receipt"]:
        found = selectors.receipt_positions(draws, form.cleaned_data["receipt"])
    return render(request, "enrollment/lottery.html", {
        "title": _("Lottery results"),
        "offering": offering,
        "school": offering.school,
        "draws": [
            {
                "draw": d,
                "order": list(enumerate(d.order, start=1)),
                "tiers": [
                    {"tier": int(t) + 1, "size": size, "cutoff": d.cutoffs.get(t)}
                    for t, size in sorted(d.tier_sizes.items(), key=lambda kv: int(kv[0]))
                ],
            }
            for d in draws
        ],
        "form": form,
        "found": found,
    })


def _roster_rows(request: HttpRequest, school_code: str, offering_id: int):
    offering = selectors.public_offering(school_code=school_code, offering_id=offering_id)
    if not selectors.may_see_school_lists(request.actor, offering.school_id):  # type: ignore[attr-defined]
        raise Http404
    return offering, selectors.offering_roster(offering)


def _service_rows(request: HttpRequest, school_code: str, term_id: int, service: str):
    term = selectors.public_term(school_code=school_code, term_id=term_id)
    if service not in SERVICE_NAMES or not selectors.may_see_school_lists(request.actor, term.school_id):  # type: ignore[attr-defined]
        raise Http404
    return term, selectors.service_roster(term, service)


def _pdf(request: HttpRequest, *, school, term, heading: str, rows, filename: str) -> HttpResponse:
    try:
        data = roster_pdf(school_name=school.name, term_name=term.name, heading=heading, rows=rows)
    except CJKFontMissing as exc:
        return render(request, "plans/pdf_unavailable.html",
                      {"title": heading, "problem": str(exc)}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def roster(request: HttpRequest, school_code: str, offering_id: int) -> HttpResponse:
    offering, rows = _roster_rows(request, school_code, offering_id)
    return render(request, "enrollment/roster.html", {
        "title": _("Published list: %(name)s") % {"name": offering.name},
        "school": offering.school, "term": offering.term, "rows": rows,
        "pdf_url": reverse("enrollment:roster_pdf", args=[school_code, offering.pk]),
    })


@login_required
def roster_pdf_view(request: HttpRequest, school_code: str, offering_id: int) -> HttpResponse:
    offering, rows = _roster_rows(request, school_code, offering_id)
    return _pdf(request, school=offering.school, term=offering.term,
                heading=_("Published list: %(name)s") % {"name": offering.name}, rows=rows,
                filename=f"roster-{offering.pk}.pdf")


@login_required
def service_roster(request: HttpRequest, school_code: str, term_id: int, service: str) -> HttpResponse:
    term, rows = _service_rows(request, school_code, term_id, service)
    return render(request, "enrollment/roster.html", {
        "title": _("Published list: %(name)s") % {"name": SERVICE_NAMES[service]},
        "school": term.school, "term": term, "rows": rows,
        "pdf_url": reverse("enrollment:service_roster_pdf", args=[school_code, term.pk, service]),
    })


@login_required
def service_roster_pdf(request: HttpRequest, school_code: str, term_id: int, service: str) -> HttpResponse:
    term, rows = _service_rows(request, school_code, term_id, service)
    return _pdf(request, school=term.school, term=term,
                heading=_("Published list: %(name)s") % {"name": SERVICE_NAMES[service]}, rows=rows,
                filename=f"roster-{term.pk}-{service}.pdf")
