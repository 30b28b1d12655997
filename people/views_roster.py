"""Roster pages: upload an import, download the template, export the masked roster."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from people.roles import Capability
from people.roster_workbooks import template_workbook
from people.services_roster import RosterRejected, export_roster, import_roster
from schools.models import School

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_SHOWN = 200  # a page lists this many problems; the command line prints them all
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 20,000 rows of .xlsx take about 1.5 MB


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into several files.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _school_for(request, capability: Capability) -> School:
    """Return the actor's school, or refuse with 403 when their roles do not allow this."""
    actor = request.actor
    if not actor.is_staff_member or not actor.may(capability):
        raise PermissionDenied
    return School.objects.get(pk=actor.school_id)


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
@never_cache
def roster_import(request):
    school = _school_for(request, Capability.MANAGE_ROSTER)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_roster(school=school, rows_or_file=upload, acting_user=request.user)
        except RosterRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                _(
                    "Roster imported: %(created)d students added, %(updated)d updated, "
                    "%(unchanged)d unchanged; %(guardians)d new guardians."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "guardians": result.guardians_created,
                },
            )
            return redirect("people:student_list")
    return render(
        request,
        "people/roster_import.html",
        {
            "title": _("Import roster"),
            "school": school,
            "form": form,
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "more_errors": max(0, len(errors) - ERRORS_SHOWN),
        },
    )


@login_required
@never_cache
def roster_template(request):
    _school_for(request, Capability.MANAGE_ROSTER)
    return _xlsx_response(template_workbook(), "roster-template.xlsx")


@login_required
@never_cache
def roster_export(request):
    school = _school_for(request, Capability.VIEW_ROSTER)
    data = export_roster(school=school, actor=request.actor)
    return _xlsx_response(data, f"roster-{school.code}-{timezone.localdate():%Y%m%d}.xlsx")
