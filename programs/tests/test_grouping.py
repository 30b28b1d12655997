"""Group forming on plan 7's rule (四.3 编班安排): "30人及以上以原班级编成一个班；年级不足30人，
按照相邻年级跨年级调整混合编班". Expectations worked out by hand below."""

from __future__ import annotations

import pytest

from lib import testing as make
from programs.models import CareGroup, GroupFormingRun
from programs.services import ProgramError
from programs.services_groups import form_care_groups
from programs.tests.conftest import term_with_plan


@pytest.fixture
def school(school_a):
    """Classes and their rooms; participants are chosen per test."""
    rooms = {}
    classes = {}
    for grade, number, capacity in [(1, 1, 45), (2, 1, 45), (3, 1, 45), (3, 2, 35), (4, 1, 35), (5, 1, 45)]:
        room = make.make_venue(school_a, name=f"{grade}-{number}教室", capacity=capacity)
        cls = make.make_class(school_a, grade=grade, number=number)
        cls.home_room = room
        cls.save(update_fields=["home_room"])
        rooms[(grade, number)] = room
        classes[(grade, number)] = cls
    return classes


def _students(cls, n):
    return [make.make_student(cls, name=f"{cls.grade}{cls.number}生{i}").pk for i in range(n)]


def _groups(run):
    return {
        g.name: (sorted(g.grades), g.members.count(), g.venue.name)
        for g in CareGroup.objects.filter(run=run).select_related("venue")
    }


def test_plan_7_keeps_big_classes_and_merges_adjacent_small_grades(school, school_a):
    """一年级1班 12 + 二年级1班 9 → one group of 21 in 一年级1班's room (capacity 45).
    三年级1班 31 ≥ 30 → stays as a class in its own room.
    三年级2班 20 cannot join grades 1–2 (that would span grades 1–3), so it starts a group;
    四年级1班 20 is adjacent but 20 + 20 = 40 > 35 places of 三年级2班's room → its own group.
    五年级1班 has no participants → no group."""
    term = term_with_plan(school_a, "p7")
    ids = (
        _students(school[(1, 1)], 12) + _students(school[(2, 1)], 9) + _students(school[(3, 1)], 31)
        + _students(school[(3, 2)], 20) + _students(school[(4, 1)], 20)
    )
    _students(school[(5, 1)], 5)  # on roll but not applying
    run = form_care_groups(term=term, service="noon_care", student_ids=ids, acting_user=None)
    groups = _groups(run)
    assert groups == {
        "三年级1班": ([3], 31, "3-1教室"),
        "一年级、二年级合班（一年级1班）": ([1, 2], 21, "1-1教室"),
        "三年级合班（三年级2班）": ([3], 20, "3-2教室"),
        "四年级合班（四年级1班）": ([4], 20, "4-1教室"),
    }
    for group in CareGroup.objects.filter(run=run):
        assert group.members.count() <= group.venue.capacity
        assert group.reason
    merged = CareGroup.objects.get(run=run, key__startswith="merged-", grades=[1, 2])
    assert "12" in merged.reason and "9" in merged.reason
    assert run.changes == []  # the first run has nothing to compare with


def test_rerun_lists_only_the_children_whose_group_changed(school, school_a):
    """三年级1班 drops from 31 to 29 participants: below 30, so its 29 children move to a
    merged group (grades 1–2 are full of grades; grade 3 starts anew). Nobody else moves."""
    term = term_with_plan(school_a, "p7")
    small = _students(school[(1, 1)], 12) + _students(school[(2, 1)], 9)
    big = _students(school[(3, 1)], 31)
    form_care_groups(term=term, service="noon_care", student_ids=small + big, acting_user=None)
    again = form_care_groups(term=term, service="noon_care", student_ids=small + big, acting_user=None)
    assert again.changes == []  # deterministic
    third = form_care_groups(term=term, service="noon_care", student_ids=small + big[:29], acting_user=None)
    moved = [c for c in third.changes if c["to"]]
    left = [c for c in third.changes if not c["to"]]
    assert len(moved) == 29 and {c["from"] for c in moved} == {"三年级1班"}
    assert {c["to"] for c in moved} == {"三年级合班（三年级1班）"}
    assert len(left) == 2 and {c["from"] for c in left} == {"三年级1班"}
    assert GroupFormingRun.objects.count() == 3


def test_group_forming_cost_does_not_grow_with_children(school, school_a, django_assert_max_num_queries):
    term = term_with_plan(school_a, "p7")
    few = _students(school[(1, 1)], 3)
    with django_assert_max_num_queries(30) as small:
        form_care_groups(term=term, service="noon_care", student_ids=few, acting_user=None)
    many = few + _students(school[(2, 1)], 40) + _students(school[(3, 1)], 40)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        form_care_groups(term=term, service="noon_care", student_ids=many, acting_user=None)


def test_class_without_a_home_room_is_refused(school_a):
    term = term_with_plan(school_a, "p7")
    cls = make.make_class(school_a, grade=2, number=9)
    with pytest.raises(ProgramError):
        form_care_groups(term=term, service="noon_care", student_ids=_students(cls, 3), acting_user=None)
    assert not GroupFormingRun.objects.exists()


def test_students_of_another_school_are_ignored(school, school_a, class_b):
    term = term_with_plan(school_a, "p7")
    theirs = _students(class_b, 5)
    run = form_care_groups(term=term, service="noon_care", student_ids=theirs, acting_user=None)
    assert not CareGroup.objects.filter(run=run).exists()
