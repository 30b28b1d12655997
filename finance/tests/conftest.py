"""Finance fixtures: the plan-1 and plan-7 terms, and approved applications made directly."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from enrollment.models import Application, ChildApplication, Review
from finance.tests.test_plan1_fees import term1  # noqa: F401 — plan 1, autumn 2026
from lib import testing as make
from plans.selectors import published_plan_for

_seq = itertools.count(1)


def approve(term, student, *, guardian=None, approved_on: dt.date | None = dt.date(2020, 1, 1), after_school=True,
            noon_care=False, meals=False) -> ChildApplication:
    """Return an APPROVED application of ``student`` for ``term``, approved on ``approved_on`` (default: long before the term; None: no review, approved on submission)."""
    n = next(_seq)
    guardian = guardian or make.make_guardian(student, name=f"家长{n}")
    plan = published_plan_for(term)
    application = Application.objects.create(
        school=term.school, term=term, guardian=guardian, plan=plan, plan_version=plan.version,
        agreement_accepted_at=timezone.now(), idempotency_key=f"fin-{n}",
    )
    child = ChildApplication.objects.create(
        application=application, school=term.school, term=term, student=student,
        wants_after_school=after_school, wants_noon_care=noon_care, wants_meals=meals,
        status=ChildApplication.Status.APPROVED, receipt=f"R{n:09d}",
    )
    if approved_on is not None:
        review = Review.objects.create(child_application=child, step=Review.Step.SCHOOL,
                                       decision=Review.Decision.APPROVED)
        at = timezone.make_aware(dt.datetime.combine(approved_on, dt.time(10, 0)))
        Review.objects.filter(pk=review.pk).update(at=at)
    return child


@pytest.fixture
def approved():
    return approve
