"""The finance desk (finance staff and the principal, Capability.VIEW_FINANCE).

Term totals, the queue of unmatched payments, statement import, the term run (charges
and absence refunds), meal bills, settlement preview → commit, expenses, reversals.
Rules stay in the services; every view is scoped to the actor's school.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance import desk, forms
from finance.enrolment import term_run
from finance.ledger import LedgerError, reverse_entry
from finance.meals import bill_meals
from finance.models import JournalEntry, JournalLine, StatementRow
from finance.payments import StatementRejected, assign_row, import_statement
from finance.selectors import recent_entries, term_totals
from finance.services import RECEIVABLE, settle_term, settlement_preview
from finance.statement_files import template_workbook
from people.actor import Actor
from people.models import Student
from people.roles import Capability
from schools.calendar import CalendarYearUnknown
from schools.models import School, Term
from schools.selectors import current_term

QUEUE_SHOWN = 50


def finance_actor(request) -> Actor:
    actor = request.actor
    if not actor.is_staff_member or actor.school_id is None or not actor.may(Capability.VIEW_FINANCE):
        raise PermissionDenied
    return actor


def chosen_term(request, actor: Actor) -> Term | None:
    raw = request.POST.get("term") or request.GET.get("term") or ""
    if not raw:
        return current_term(actor.school_id)
    term = Term.objects.filter(school_id=actor.school_id, pk=raw).first() if raw.isdigit() else None
    if term is None:
        raise Http404
    return term


def _back(term: Term | None) -> HttpResponse:
    return redirect(reverse("finance:desk") + (f"?term={term.pk}" if term else ""))


def _fail(request, error: Exception) -> None:
    messages.error(request, getattr(error, "message", str(error)))


@login_required
def desk_page(request):
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    queue = list(
        StatementRow.objects.filter(school_id=actor.school_id, status=StatementRow.Status.QUEUED)
        .order_by("paid_on", "id")[:QUEUE_SHOWN]
    )
    return render(request, "finance/desk.html", {
        "title": _("Finance"), "term": term,
        "terms": Term.objects.filter(school_id=actor.school_id).order_by("-start"),
        "totals": term_totals(term) if term else None, "queue": queue,
        "entries": recent_entries(term) if term else [],
        "upload_form": forms.StatementUploadForm(), "expense_form": forms.ExpenseForm(),
        "meals_form": forms.MealsForm(), "settle_form": forms.SettleForm(), "reverse_form": forms.ReverseForm(),
    })


@login_required
def statement_template(request):
    finance_actor(request)
    response = HttpResponse(template_workbook(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="payment-statement-template.xlsx"'
    return response


@login_required
@require_POST
def import_payments(request):
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    form = forms.StatementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a statement file."))
        return _back(term)
    school = School.objects.get(pk=actor.school_id)
    try:
        result = import_statement(school=school, source=form.cleaned_data["file"], acting_user=request.user)
    except StatementRejected as rejected:
        for error in rejected.errors[:50]:
            messages.error(request, str(error))
        messages.error(request, _("Nothing was imported: %(n)d problems.") % {"n": len(rejected.errors)})
        return _back(term)
    messages.success(request, _("%(rows)d payments read: %(matched)d matched to a child, %(queued)d waiting for "
                                "a person, %(already)d imported before.") % {
        "rows": result.rows, "matched": result.matched, "queued": result.queued, "already": result.already_imported})
    return _back(term)


@login_required
@require_POST
def assign_payment(request, row_id: int):
    actor = finance_actor(request)
    row = get_object_or_404(StatementRow, pk=row_id, school_id=actor.school_id)
    form = forms.AssignForm(request.POST)
    student = None
    if form.is_valid():
        student = Student.objects.filter(school_id=actor.school_id,
                                         student_number=form.cleaned_data["student_number"].strip()).first()
    if student is None:
        messages.error(request, _("No student with that student number in this school."))
    else:
        try:
            assign_row(row=row, student=student, acting_user=request.user)
            messages.success(request, _("Payment %(ref)s assigned to %(name)s.") % {
                "ref": row.reference, "name": student.name})
        except LedgerError as e:
            _fail(request, e)
    return _back(row.term)


@login_required
@require_POST
def run_term(request):
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    if term is None:
        raise Http404
    what = request.POST.get("what", "charges")
    try:
        result = term_run(term=term, acting_user=request.user, charges=what == "charges", refunds=True)
    except (LedgerError, CalendarYearUnknown) as e:
        _fail(request, e)
        return _back(term)
    messages.success(request, _("%(n)d approved children: charges %(charged)s, %(refunds)d absence refunds of "
                                "%(refunded)s (running it again posts nothing new).") % {
        "n": result.children, "charged": result.charged, "refunds": result.refunds, "refunded": result.refunded})
    return _back(term)


@login_required
@require_POST
def meals(request):
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    form = forms.MealsForm(request.POST)
    if term is None or not form.is_valid():
        messages.error(request, _("Give the month as YYYY-MM and a working day number."))
        return _back(term)
    year, month = (int(x) for x in form.cleaned_data["month"].split("-"))
    try:
        bills = bill_meals(term=term, year=year, month=month, acting_user=request.user,
                           on_working_day=form.cleaned_data["on_working_day"])
    except (LedgerError, CalendarYearUnknown) as e:
        _fail(request, e)
        return _back(term)
    messages.success(request, _("%(n)d lunch bills for %(month)s.") % {"n": len(bills), "month": form.cleaned_data["month"]})
    return _back(term)


def _students_of(term: Term) -> list[Student]:
    ids = JournalLine.objects.filter(school_id=term.school_id, entry__term_id=term.pk, account__code=RECEIVABLE,
                                     student_id__isnull=False).values("student_id")
    return list(Student.objects.filter(pk__in=ids).order_by("student_number"))


@login_required
def settlement(request):
    """GET: what settling would do, child by child; POST: commit it once (多退少补 / 多退少不补)."""
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    if term is None:
        raise Http404
    students = _students_of(term)
    form = forms.SettleForm(request.POST or None, initial={"date": term.end})
    if request.method == "POST" and form.is_valid():
        try:
            settle_term(term=term, students=students, acting_user=request.user, date=form.cleaned_data["date"])
        except LedgerError as e:
            _fail(request, e)
        else:
            messages.success(request, _("The term is settled; running it again posts nothing new."))
        return redirect(reverse("finance:settlement") + f"?term={term.pk}")
    try:
        rows = settlement_preview(term=term, students=students)
    except LedgerError as e:
        _fail(request, e)
        rows = []
    settled = set(JournalEntry.objects.filter(school_id=term.school_id, term=term, source_type="settlement")
                  .values_list("source_id", flat=True))
    return render(request, "finance/settlement.html", {
        "title": _("Term settlement"), "term": term, "rows": rows, "form": form,
        "settled": {int(s.split(":")[1]) for s in settled},
    })


@login_required
@require_POST
def expense(request):
    actor = finance_actor(request)
    term = chosen_term(request, actor)
    form = forms.ExpenseForm(request.POST)
    if term is None or not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else errors)
        return _back(term)
    data = form.cleaned_data
    try:
        desk.record_expense(term=term, account=data["account"], amount=data["amount"], date=data["date"],
                            memo=data["memo"], reference=data["reference"], acting_user=request.user)
    except LedgerError as e:
        _fail(request, e)
    else:
        messages.success(request, _("Expense recorded."))
    return _back(term)


@login_required
@require_POST
def reverse_view(request, entry_id: int):
    actor = finance_actor(request)
    entry = get_object_or_404(JournalEntry.objects.select_related("school", "term"), pk=entry_id,
                              school_id=actor.school_id)
    form = forms.ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is reversed."))
    else:
        try:
            reverse_entry(entry=entry, memo=form.cleaned_data["reason"], acting_user=request.user,
                          date=timezone.localdate())
        except LedgerError as e:
            _fail(request, e)
        else:
            messages.success(request, _("Entry #%(id)s reversed.") % {"id": entry.pk})
    return _back(entry.term)
