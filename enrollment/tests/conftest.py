"""A term with a published plan, an open enrollment window and open clubs."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.utils import timezone

from enrollment.models import EnrollmentWindow
from lib import testing as make
from people.roles import Role
from plans.presets import load_preset
from plans.services import approve, create_draft, publish
from programs.models import Offering
from programs.services import add_slot, create_offering, open_offering

OPEN_NOW = timezone.make_aware(dt.datetime(2026, 8, 25, 9, 0))


def published_term(school, preset: str, change=None):
    """A 2026 autumn term whose plan is the preset (optionally changed), approved and published."""
    term = make.make_term(school, start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    document = copy.deepcopy(load_preset(preset).document)
    document["governance"]["parent_committee_approval"] = None
    document["governance"]["complaint_phone"] = "0531-12345678"
    if change:
        change(document)
    plan = create_draft(term=term, document=document, acting_user=None)
    approve(plan=plan, meeting_date=dt.date(2026, 8, 1), attendance=21, acting_user=None)
    publish(plan=plan, acting_user=None)
    EnrollmentWindow.objects.create(
        term=term,
        school=school,
        opens_at=OPEN_NOW - dt.timedelta(days=1),
        closes_at=OPEN_NOW + dt.timedelta(days=10),
        offer_days=3,
    )
    return term


def open_club(term, *, name="足球兴趣小组", capacity=2, grades=(1, 2, 3, 4, 5, 6)):
    school = term.school
    coach = make.make_staff(school, Role.TEACHER, name=f"{name}老师")
    venue = make.make_venue(school, name=f"{name}场地", kind="field", capacity=60)
    offering = create_offering(
        term=term, kind=Offering.Kind.INTEREST_GROUP, name=name, grades=list(grades), capacity=capacity,
        content="基本功训练", activity_plan="第1周 热身与传球", acting_user=None,
    )
    add_slot(offering=offering, weekday=2, start=dt.time(16, 30), end=dt.time(17, 30), venue=venue,
             instructor=coach, acting_user=None)
    return open_offering(offering=offering, acting_user=None)


@pytest.fixture
def lottery_term(school_a):
    """Plan 2: class review then school approval; over-full clubs go by priority + lottery."""
    return published_term(school_a, "p2")


@pytest.fixture
def first_come_term(school_a):
    def first_come(document):
        document["selection"]["method"] = "first_come"

    return published_term(school_a, "p2", first_come)
