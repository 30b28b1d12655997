"""Inspections (查堂, plans 3 and 5): record one with its three scores; the term's summary per
teacher, on the page and as an .xlsx for the yearly review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from people.models import Staff
from staffing.exports import inspection_workbook
from staffing.forms import InspectionForm
from staffing.models import Inspection
from staffing.selectors import inspection_summary
from staffing.services import StaffingError, record_inspection
from staffing.views_common import (
    chosen_term,
    leader_actor,
    school_terms,
    show_error,
    show_form_errors,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    """Record an inspection; see the term's summary and the latest inspections."""
    actor = leader_actor(request)
    term = chosen_term(request, actor)
    form = InspectionForm(request.POST or None, school_id=actor.school_id)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_inspection(
                    actor=actor, teacher=data["teacher"], kind=data["kind"], at=data["at"], notes=data["notes"],
                    scores=(data["attendance_score"], data["content_score"], data["quality_score"]))
                messages.success(request, _("Inspection recorded."))
                return redirect(reverse("staffing:inspections") + (f"?term={term.pk}" if term else ""))
            except StaffingError as e:
                show_error(request, e)
        else:
            show_form_errors(request, form)
    recent = (Inspection.objects.filter(school_id=actor.school_id).select_related("teacher", "inspector")
              .order_by("-at")[:20])
    return render(request, "staffing/inspections.html", {
        "title": _("Inspections"), "term": term, "terms": school_terms(actor), "form": form,
        "summary": inspection_summary(term) if term else [], "recent": recent,
    })


@login_required
def inspections_xlsx(request: HttpRequest) -> HttpResponse:
    actor = leader_actor(request)
    term = chosen_term(request, actor)
    if term is None:
        raise Http404
    school = Staff.objects.select_related("school").get(pk=actor.staff_id).school
    body = inspection_workbook(title=f"{school.name} {term.name} 查堂汇总", rows=inspection_summary(term))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="inspections-{term.pk}.xlsx"'
    return response
