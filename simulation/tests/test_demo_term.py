"""The demo term runs end to end through the services, and its numbers hold together."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from enrollment.models import ChildApplication, Choice
from finance.ledger import balance, balances_by_account
from programs.models import CareGroupMember, Offering
from schools.demo import seed_demo
from schools.models import School, Term
from simulation.demo_term import bring_term_to_life


def test_demo_term_holds_together(db):
    seed_demo(schools=1, students=150, seed=7)
    school = School.objects.get()
    term = Term.objects.get(school=school)
    story = bring_term_to_life(school=school, term=term, seed=7)
    assert term.plans.get().status == "published"
    assert story.applications > 0 and story.children > 0
    # No offering over capacity.
    for offering in Offering.objects.filter(term=term).annotate(
        taken=Count("choices", filter=Q(choices__status__in=Choice.HOLDS_PLACE))
    ):
        assert offering.taken <= offering.capacity
    # Every approved after-school child is in exactly one care group.
    approved = set(ChildApplication.objects.filter(term=term, status="approved", wants_after_school=True)
                   .values_list("student_id", flat=True))
    grouped = list(CareGroupMember.objects.filter(group__run__term=term).values_list("student_id", flat=True))
    assert sorted(grouped) == sorted(approved)
    # The ledger balances and charged − paid is what families still owe.
    assert sum(balances_by_account(school_id=school.pk).values(), Decimal(0)) == 0
    owed = balance(school_id=school.pk, account="receivable:service")
    waived = balance(school_id=school.pk, account="income:waivers")
    assert story.charged - waived - story.paid == owed
