"""The monthly pay run for finance and the principal: build a preview, read every line with its
deductions and the working of the period value, commit once, download the pay sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance.ledger import LedgerError
from payroll.exports import pay_sheet_workbook
from payroll.models import PayRun
from payroll.selectors import (
    deduction_rows,
    parse_month,
    post_label,
    run_lines,
    term_for_month,
    totals_of,
    working_of,
)
from payroll.services import build_pay_run, commit_pay_run
from payroll.views_common import finance_actor, get_run_for, sees_all, staff_actor
from schools.models import Term

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Finance and the principal land on the runs; everyone else on their own statements."""
    actor = staff_actor(request)
    return redirect("payroll:runs" if sees_all(actor) else "payroll:mine")


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """The school's pay runs, newest first, and the form to build a month."""
    actor = finance_actor(request)
    return render(request, "payroll/runs.html", {
        "title": _("Pay runs"),
        "runs": PayRun.objects.filter(school_id=actor.school_id).select_related("term").order_by("-month"),
        "this_month": timezone.localdate().replace(day=1),
        "terms": Term.objects.filter(school_id=actor.school_id).order_by("-start"),
    })


@login_required
@require_POST
def build(request: HttpRequest) -> HttpResponse:
    """Build (or rebuild) the month's preview; a committed month is refused with the ledger's words."""
    actor = finance_actor(request)
    month = parse_month(request.POST.get("month", ""))
    if month is None:
        messages.error(request, _("Month: give a month as YYYY-MM."))
        return redirect("payroll:runs")
    term = term_for_month(actor.school_id, month)
    if term is None:
        messages.error(request, _("Month: no term of the school runs in %(month)s.") % {"month": f"{month:%Y-%m}"})
        return redirect("payroll:runs")
    try:
        run = build_pay_run(term=term, month=month, acting_user=request.user)
    except LedgerError as e:
        messages.error(request, e.message)
        return redirect("payroll:runs")
    messages.success(request, _("Preview built. Check the lines, then commit."))
    return redirect("payroll:run", month=f"{run.month:%Y-%m}")


@login_required
def run_detail(request: HttpRequest, month: str) -> HttpResponse:
    """Every line of the month with its deductions, and how the period value was worked out."""
    actor = finance_actor(request)
    run = get_run_for(actor, month)
    lines = run_lines(run)
    return render(request, "payroll/run.html", {
        "title": _("Pay run %(month)s") % {"month": f"{run.month:%Y-%m}"}, "run": run,
        "rows": [(line, post_label(line.staff), deduction_rows(line)) for line in lines],
        "totals": totals_of(lines), "working": working_of(run), "committed": run.status == PayRun.Status.COMMITTED,
    })


@login_required
@require_POST
def commit(request: HttpRequest, month: str) -> HttpResponse:
    """Post the month's pay to the ledger, once."""
    actor = finance_actor(request)
    run = get_run_for(actor, month)
    try:
        commit_pay_run(run=run, acting_user=request.user)
        messages.success(request, _("Pay committed to the ledger."))
    except LedgerError as e:
        messages.error(request, e.message)
    return redirect("payroll:run", month=month)


@login_required
def pay_sheet(request: HttpRequest, month: str) -> HttpResponse:
    """The school's pay sheet of the month as .xlsx."""
    actor = finance_actor(request)
    run = get_run_for(actor, month)
    body = pay_sheet_workbook(title=f"{run.school.name} {run.month:%Y年%m月} 课后服务劳务费发放表", lines=run_lines(run))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="pay-{run.month:%Y-%m}.xlsx"'
    return response
