"""A child's account statement: every ledger line with the memo that shows its computation.

Issue 8 §4: each refund shows its computation to the guardian. A guardian reads only
their own children's statements, finance staff and the principal those of their school;
anyone else gets 404, the same as for a missing child.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from finance.selectors import account_lines, child_balances
from people.models import StudentGuardian
from people.roles import Capability
from people.selectors import get_student_for
from schools.models import Term


@login_required
def child_statement(request, student_id: int):
    actor = request.actor
    student = get_student_for(actor, student_id)
    is_staff = actor.school_id == student.school_id and actor.may(Capability.VIEW_FINANCE)
    is_guardian = actor.guardian_id is not None and StudentGuardian.objects.filter(
        guardian_id=actor.guardian_id, student_id=student.pk).exists()
    if not (is_staff or is_guardian):
        raise Http404
    terms = list(Term.objects.filter(school_id=student.school_id).order_by("-start"))
    raw = request.GET.get("term", "")
    term = next((t for t in terms if str(t.pk) == raw), None) if raw else None
    lines = account_lines(term=term, student_id=student.pk)
    balances = child_balances(lines)
    return render(request, "finance/child_statement.html", {
        "title": _("Account of %(name)s") % {"name": student.name}, "student": student, "terms": terms,
        "term": term, "lines": lines,
        "service_owed": balances.get("receivable:service"), "meals_owed": balances.get("receivable:meals"),
        "is_staff": is_staff,
    })


@login_required
def my_accounts(request):
    """A guardian's list of their children, each linking to the child's account statement."""
    actor = request.actor
    if actor.guardian_id is None:
        raise Http404
    links = StudentGuardian.objects.filter(guardian_id=actor.guardian_id).select_related("student__school")
    return render(request, "finance/my_accounts.html", {
        "title": _("Fees"), "students": [link.student for link in links]})
