"""Offerings: the plan's grade rules, the five fixes (五定, plan 4), clashes of teachers and rooms."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import testing as make
from people.roles import Role
from programs.models import Offering, WeeklySlot
from programs.services import ProgramError, add_slot, create_offering, open_offering

T = dt.time


def _club(term, **kw):
    defaults = {
        "term": term,
        "kind": Offering.Kind.CLUB,
        "name": "合唱社团",
        "grades": [3, 4, 5, 6],
        "capacity": 40,
        "content": "合唱基础训练与曲目排练",
        "activity_plan": "第1周 发声练习\n第2周 《茉莉花》",
        "acting_user": None,
    }
    return create_offering(**(defaults | kw))


def test_plan_3_gives_grades_1_and_2_no_interest_group(term3):
    """Plan 3: 一、二年级安排教师免费看护学生写作业 — interest groups start in grade 3."""
    with pytest.raises(ProgramError) as exc:
        create_offering(
            term=term3, kind=Offering.Kind.INTEREST_GROUP, name="一年级面塑", grades=[1],
            capacity=30, acting_user=None,
        )
    assert "一年级" in exc.value.problems[0]
    assert not Offering.objects.exists()


def test_plan_3_gives_grade_3_its_interest_group(term3):
    offering = create_offering(
        term=term3, kind=Offering.Kind.INTEREST_GROUP, name="三年级面塑", grades=[3],
        capacity=40, acting_user=None,
    )
    assert offering.status == Offering.Status.DRAFT


def test_plan_3_has_no_noon_care(term3):
    with pytest.raises(ProgramError):
        create_offering(term=term3, kind=Offering.Kind.NOON_CARE, name="午托", grades=[3], capacity=40, acting_user=None)


def test_term_without_a_plan_refuses_offerings(school_a):
    term = make.make_term(school_a)
    with pytest.raises(ProgramError):
        _club(term)


def test_offering_without_its_five_fixes_cannot_open(term3, music_room, music_teacher):
    offering = _club(term3, content="", activity_plan="")
    with pytest.raises(ProgramError) as exc:
        open_offering(offering=offering, acting_user=None)
    text = " ".join(exc.value.problems)
    for fix in ("定计划", "定内容", "定时间", "定场所", "定指导教师"):
        assert fix in text
    offering.refresh_from_db()
    assert offering.status == Offering.Status.DRAFT


def test_offering_with_all_five_fixes_opens(term3, music_room, music_teacher):
    offering = _club(term3)
    add_slot(offering=offering, weekday=1, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    open_offering(offering=offering, acting_user=None)
    offering.refresh_from_db()
    assert offering.status == Offering.Status.OPEN


def test_unvetted_external_instructor_is_refused(term3, school_a, music_room):
    coach = make.make_staff(school_a, Role.EXTERNAL_INSTRUCTOR, name="钱教练")
    offering = _club(term3)
    with pytest.raises(ProgramError) as exc:
        add_slot(offering=offering, weekday=1, start=T(16, 30), end=T(17, 30), venue=music_room,
                 instructor=coach, acting_user=None)
    assert "钱教练" in exc.value.problems[0]
    assert not WeeklySlot.objects.exists()


def test_same_room_twice_at_once_is_refused(term3, music_room, music_teacher, art_teacher):
    choir = _club(term3)
    add_slot(offering=choir, weekday=1, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    band = _club(term3, name="乐器社团")
    with pytest.raises(ProgramError) as exc:
        add_slot(offering=band, weekday=1, start=T(17, 0), end=T(18, 0), venue=music_room,
                 instructor=art_teacher, acting_user=None)
    assert "音乐室" in exc.value.problems[0] and "合唱社团" in exc.value.problems[0]
    assert WeeklySlot.objects.count() == 1


def test_same_teacher_twice_at_once_is_refused(term3, music_room, art_room, music_teacher):
    choir = _club(term3)
    add_slot(offering=choir, weekday=1, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    band = _club(term3, name="乐器社团")
    with pytest.raises(ProgramError) as exc:
        add_slot(offering=band, weekday=1, start=T(16, 0), end=T(16, 45), venue=art_room,
                 instructor=music_teacher, acting_user=None)
    assert "周老师" in exc.value.problems[0]


def test_back_to_back_and_other_days_do_not_clash(term3, music_room, music_teacher):
    choir = _club(term3)
    add_slot(offering=choir, weekday=1, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    band = _club(term3, name="乐器社团")
    add_slot(offering=band, weekday=1, start=T(17, 30), end=T(18, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    add_slot(offering=band, weekday=3, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    assert WeeklySlot.objects.count() == 3


def test_another_schools_room_is_refused(term3, school_b, music_teacher):
    their_room = make.make_venue(school_b, name="他校音乐室")
    with pytest.raises(ProgramError):
        add_slot(offering=_club(term3), weekday=1, start=T(16, 30), end=T(17, 30), venue=their_room,
                 instructor=music_teacher, acting_user=None)
