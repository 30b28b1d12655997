"""Statements: one person's month (page and PDF), one's own list, the term summary per person
(the sum of committed months) and the term awards list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from payroll.models import PayLine, PayRun
from payroll.pdf import statement_pdf
from payroll.selectors import deduction_rows, term_awards, term_summary, working_of
from payroll.views_common import finance_actor, get_line_for, sees_all, staff_actor
from plans.pdf import CJKFontMissing
from schools.models import Term
from schools.selectors import current_term


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's committed statements, newest first."""
    actor = staff_actor(request)
    lines = (PayLine.objects.filter(staff_id=actor.staff_id, run__school_id=actor.school_id,
                                    run__status=PayRun.Status.COMMITTED)
             .select_related("run").order_by("-run__month"))
    return render(request, "payroll/mine.html", {
        "title": _("My pay"), "lines": lines, "term": current_term(actor.school_id),
    })


@login_required
def statement(request: HttpRequest, month: str, staff_id: int) -> HttpResponse:
    actor = staff_actor(request)
    run, line = get_line_for(actor, month, staff_id)
    return render(request, "payroll/statement.html", {
        "title": _("Pay statement %(month)s") % {"month": f"{run.month:%Y-%m}"}, "run": run, "line": line,
        "deductions": deduction_rows(line), "working": working_of(run),
    })


@login_required
def statement_file(request: HttpRequest, month: str, staff_id: int) -> HttpResponse:
    actor = staff_actor(request)
    run, line = get_line_for(actor, month, staff_id)
    try:
        body = statement_pdf(run=run, line=line, working=working_of(run), school_name=run.school.name)
    except CJKFontMissing as e:
        return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{run.month:%Y-%m}-{staff_id}.pdf"'
    return response


@login_required
def summary(request: HttpRequest, term_id: int) -> HttpResponse:
    """The term's committed months summed per person: everyone for finance, oneself otherwise."""
    actor = staff_actor(request)
    term = get_object_or_404(Term, pk=term_id, school_id=actor.school_id)
    rows = term_summary(term, staff_id=None if sees_all(actor) else actor.staff_id)
    return render(request, "payroll/summary.html", {"title": _("Term pay summary"), "term": term, "rows": rows})


@login_required
def awards(request: HttpRequest, term_id: int) -> HttpResponse:
    """Who is commended this term, and who of them has no breach and no deduction."""
    actor = finance_actor(request)
    term = get_object_or_404(Term, pk=term_id, school_id=actor.school_id)
    return render(request, "payroll/awards.html", {"title": _("Term awards"), "term": term, "rows": term_awards(term)})
