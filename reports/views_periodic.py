"""Pages of the weekly report, monthly summary and term summary: page, PDF, .xlsx, public version.

The named reports are for the school's leaders and finance (Capability.VIEW_PERIOD_REPORTS);
money shows only to those who may see the fund. The public version (totals only, for the
notice board) is open to every staff member of the school, who may print and post it.
Other schools' terms answer 404; guardians and district officers 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from people.actor import Actor
from people.roles import Capability
from plans.pdf import CJKFontMissing
from reports.periodic import TERM, WEEK, PeriodReport, months_of, period_report, weeks_of
from reports.periodic_files import report_pdf, report_xlsx
from schools.selectors import get_term_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest, *, public: bool) -> Actor:
    actor = request.actor
    if not actor.is_staff_member or actor.school_id is None:
        raise PermissionDenied
    if not public and not actor.may(Capability.VIEW_PERIOD_REPORTS):
        raise PermissionDenied
    return actor


def _report(
    request: HttpRequest, term_id: int, kind: str, key: str, *, public: bool
) -> PeriodReport:
    actor = _actor(request, public=public)
    term = get_term_for(actor, term_id)
    return period_report(
        term, kind, key, show_money=actor.may(Capability.VIEW_FINANCE), public=public
    )


def _links(report: PeriodReport) -> dict[str, str]:
    from django.urls import reverse

    names = {"week": "weekly", "month": "monthly", "term": "term"}[report.kind]
    args = [report.term.pk] if report.kind == TERM else [report.term.pk, report.key]
    return {
        variant: reverse(f"reports:{names}{suffix}", args=args)
        for variant, suffix in (
            ("page", ""),
            ("pdf", "_pdf"),
            ("xlsx", "_xlsx"),
            ("public", "_public"),
            ("public_pdf", "_public_pdf"),
        )
    }


@login_required
@never_cache
def period_index(request: HttpRequest, term_id: int) -> HttpResponse:
    """The weeks and months of the term, each with its report."""
    actor = _actor(request, public=True)
    term = get_term_for(actor, term_id)
    return render(
        request,
        "reports/period_index.html",
        {
            "title": _("Weekly and monthly reports"),
            "term": term,
            "weeks": [(w, w.isoformat()) for w in weeks_of(term)],
            "months": months_of(term),
            "named": actor.may(Capability.VIEW_PERIOD_REPORTS),
        },
    )


@login_required
@never_cache
def period_page(
    request: HttpRequest, term_id: int, kind: str, key: str = "", public: bool = False
) -> HttpResponse:
    report = _report(request, term_id, kind, key, public=public)
    return render(
        request,
        "reports/period_report.html",
        {
            "title": report.heading,
            "report": report,
            "links": _links(report),
            "is_week": kind == WEEK,
        },
    )


@login_required
@never_cache
def period_pdf(
    request: HttpRequest, term_id: int, kind: str, key: str = "", public: bool = False
) -> HttpResponse:
    report = _report(request, term_id, kind, key, public=public)
    try:
        data = report_pdf(report)
    except CJKFontMissing as exc:
        return render(
            request,
            "plans/pdf_unavailable.html",
            {"title": report.heading, "problem": str(exc)},
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report)}.pdf"'
    return response


@login_required
@never_cache
def period_xlsx(request: HttpRequest, term_id: int, kind: str, key: str = "") -> HttpResponse:
    report = _report(request, term_id, kind, key, public=False)
    response = HttpResponse(report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.xlsx"'
    return response


def _filename(report: PeriodReport) -> str:
    suffix = "-public" if report.public else ""
    return f"{report.kind}-report-{report.term.pk}-{report.key or 'term'}{suffix}"
