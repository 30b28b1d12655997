"""A care group of plan 2's after-school service (16:30–18:30) on Wednesday 14 Oct 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lib import testing as make
from people.actor import actor_for
from people.roles import Role
from programs.models import CareGroup
from programs.services_groups import form_care_groups
from programs.tests.conftest import term_with_plan

DAY = dt.date(2026, 10, 14)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(DAY, dt.time(hour, minute)))


@pytest.fixture
def care(school_a, class_a, child_a, child_b, guardian_a, guardian_b, teacher):
    """class_a (3年级2班) with child_a and child_b in one care group, cared for by 陈老师."""
    room = make.make_venue(school_a, name="三(2)教室", capacity=45)
    class_a.home_room = room
    class_a.save(update_fields=["home_room"])
    term = term_with_plan(school_a, "p2", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    run = form_care_groups(term=term, service="after_school", student_ids=[child_a.pk, child_b.pk], acting_user=None)
    group = CareGroup.objects.get(run=run)
    assert group.teacher == teacher  # the head teacher by default
    last_period = make.make_staff(school_a, Role.TEACHER, name="音乐刘老师")
    duty = make.make_staff(school_a, Role.TEACHER, Role.DUTY_LEADER, name="值班吴主任")
    return {"term": term, "group": group, "care_teacher": teacher, "last_period": last_period, "duty": duty,
            "actor": actor_for}
