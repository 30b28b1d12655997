"""The weekly timetable per school, teacher, venue and class, and the 5+2 check of each week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lib import testing as make
from people.roles import Role
from programs import timetable as tt
from programs.models import Offering, WeeklySlot
from programs.selectors import plan_document_for
from programs.services import add_slot, create_offering
from programs.tests.conftest import term_with_plan

T = dt.time


def _offering(term, name, *, kind=Offering.Kind.CLUB, grades=(3, 4), school_class=None):
    return create_offering(
        term=term, kind=kind, name=name, grades=list(grades), capacity=40,
        school_class=school_class, content="内容", activity_plan="第1周", acting_user=None,
    )


def _slot(offering, weekday, start, end, venue, instructor):
    return add_slot(offering=offering, weekday=weekday, start=start, end=end, venue=venue,
                    instructor=instructor, acting_user=None)


def _labels(cell) -> list[str]:
    return [r.offering for r in cell]


def test_the_grid_has_weekday_columns_and_a_row_per_time(term3, music_room, music_teacher):
    choir = _offering(term3, "合唱社团")
    _slot(choir, 0, T(16, 30), T(17, 30), music_room, music_teacher)
    _slot(choir, 2, T(16, 30), T(17, 30), music_room, music_teacher)
    _slot(choir, 2, T(17, 30), T(18, 30), music_room, music_teacher)
    grid = tt.build_grid(tt.slot_rows(term3))
    assert grid.weekdays == (0, 1, 2, 3, 4)
    assert [r.time_label for r in grid.rows] == ["16:30–17:30", "17:30–18:30"]
    assert [_labels(c) for c in grid.rows[0].cells] == [["合唱社团"], [], ["合唱社团"], [], []]
    assert [_labels(c) for c in grid.rows[1].cells] == [[], [], ["合唱社团"], [], []]


def test_a_saturday_column_appears_only_with_a_saturday_slot(term3, music_room, music_teacher):
    choir = _offering(term3, "合唱社团")
    _slot(choir, 5, T(9, 0), T(10, 0), music_room, music_teacher)
    assert tt.build_grid(tt.slot_rows(term3)).weekdays == (0, 1, 2, 3, 4, 5)


def test_a_class_sees_its_own_and_its_grades_offerings_only(
    term3, school_a, class_a, music_room, art_room, music_teacher, art_teacher
):
    """class_a is 三年级2班. It sees its class's homework care and the grade-3/4 choir, not
    another grade-3 class's care nor a grade-5 club."""
    other_class = make.make_class(school_a, grade=3, number=1)
    room = make.make_venue(school_a, name="3-1教室")
    kind = Offering.Kind.HOMEWORK_HELP
    ours = _offering(term3, "三2班作业辅导", kind=kind, grades=[3], school_class=class_a)
    theirs = _offering(term3, "三1班作业辅导", kind=kind, grades=[3], school_class=other_class)
    choir = _offering(term3, "合唱社团", grades=[3, 4])
    senior = _offering(term3, "五年级社团", grades=[5])
    _slot(ours, 0, T(16, 30), T(17, 30), art_room, art_teacher)
    _slot(theirs, 0, T(16, 30), T(17, 30), room, make.make_staff(school_a, Role.TEACHER))
    _slot(choir, 1, T(16, 30), T(17, 30), music_room, music_teacher)
    _slot(senior, 2, T(16, 30), T(17, 30), music_room, music_teacher)
    rows = tt.slot_rows(term3)
    assert {r.offering for r in tt.for_class(rows, class_a)} == {"三2班作业辅导", "合唱社团"}
    assert {r.offering for r in tt.for_teacher(rows, music_teacher.pk)} == {"合唱社团", "五年级社团"}
    assert {r.offering for r in tt.for_venue(rows, art_room.pk)} == {"三2班作业辅导"}


def test_the_page_shows_a_teachers_timetable(as_user, teacher, term3, music_room, music_teacher):
    _slot(_offering(term3, "合唱社团"), 0, T(16, 30), T(17, 30), music_room, music_teacher)
    client = as_user(teacher)
    url = reverse("programs:timetable") + f"?term={term3.pk}&view=teacher&id={music_teacher.pk}"
    response = client.get(url)
    assert response.context["selection"].heading == "周老师"
    assert "合唱社团" in response.content.decode()
    other = client.get(reverse("programs:timetable") + f"?term={term3.pk}&view=teacher&id={teacher.pk}")
    assert "合唱社团" not in other.content.decode()


def test_the_print_view_has_no_navigation(as_user, teacher, term3):
    response = as_user(teacher).get(reverse("programs:timetable") + f"?term={term3.pk}&print=1")
    text = response.content.decode()
    assert "header.top { display:none; }" in text and "@media print" in text


def test_another_schools_teacher_is_not_found(as_user, teacher, outsider, term3):
    url = reverse("programs:timetable") + f"?term={term3.pk}&view=teacher&id={outsider.pk}"
    assert as_user(teacher).get(url).status_code == 404


def _slots(term, school, n: int) -> None:
    """Add ``n`` slots, each with its own room and teacher (no clash), across the week."""
    venues = [make.make_venue(school) for _ in range(n)]
    staff = [make.make_staff(school, Role.TEACHER, login=False) for _ in range(n)]
    offerings = [
        Offering.objects.create(school=school, term=term, kind="club", name=f"社团{i}",
                                grades=[3, 4], capacity=40)
        for i in range(WeeklySlot.objects.count(), WeeklySlot.objects.count() + n)
    ]
    WeeklySlot.objects.bulk_create(
        WeeklySlot(offering=o, weekday=i % 5, start=T(16, 30 + i % 2 * 10), end=T(17, 30),
                   venue=venues[i], instructor=staff[i])
        for i, o in enumerate(offerings)
    )


@pytest.mark.parametrize("view", ["school", "class"])
def test_the_timetable_costs_the_same_queries_for_5_and_50_slots(
    as_user, principal, term3, school_a, class_a, view
):
    client = as_user(principal)
    url = reverse("programs:timetable") + f"?term={term3.pk}&view={view}&id={class_a.pk}"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    _slots(term3, school_a, 5)
    five = count()
    _slots(term3, school_a, 45)
    assert WeeklySlot.objects.count() == 50
    assert count() == five


# --- 5+2 -----------------------------------------------------------------------------------


def test_plan_3s_daily_window_alone_meets_5_plus_2(term3, class_a):
    """Plan 3: after-school service 16:30–18:30 Monday to Friday for grades 1–6 = 120 minutes
    on each of five days, so 三年级2班 meets 5+2 with no slot at all."""
    doc = plan_document_for(term3)
    [week] = tt.class_weeks(doc=doc, rule=tt.rule_for(doc, term3), classes=[class_a], rows=[])
    assert week.meets and week.check.minutes_by_weekday == dict.fromkeys(range(5), 120)


@pytest.fixture
def term7(school_a):
    """Plan 7 has only a noon-care window (11:10–13:30). From spring 2024 noon care no longer
    counts as 课后服务 (plans/limit_data/national.json), so the week rests on the slots."""
    return term_with_plan(school_a, "p7")


def test_a_short_wednesday_is_listed_and_a_full_week_is_not(as_user, principal, term7, school_a, class_a):
    """三年级2班 (class_a): its own supervised homework 16:30–18:30 on Mon, Tue, Thu, Fri
    = 120 each; on Wednesday 16:30–17:30 plus the grade-3 reading room 17:00–18:00, which
    overlaps by 30, so 16:30–18:00 = 90 minutes: short by 120 − 90 = 30.
    三年级1班: 16:30–18:30 every day = 5 × 120 and the same reading room on Wednesday
    (inside the time it already has): meets 5+2."""
    full = make.make_class(school_a, grade=3, number=1)
    kind = Offering.Kind.SUPERVISED_HOMEWORK
    ours = _offering(term7, "三2班作业看护", kind=kind, grades=[3], school_class=class_a)
    theirs = _offering(term7, "三1班作业看护", kind=kind, grades=[3], school_class=full)
    reading = _offering(term7, "三年级阅览", kind=Offering.Kind.READING_ROOM, grades=[3])
    room2, room1 = make.make_venue(school_a, name="3-2教室"), make.make_venue(school_a, name="3-1教室")
    t2, t1 = make.make_staff(school_a, Role.TEACHER), make.make_staff(school_a, Role.TEACHER)
    for day in range(5):
        _slot(ours, day, T(16, 30), T(17, 30) if day == 2 else T(18, 30), room2, t2)
        _slot(theirs, day, T(16, 30), T(18, 30), room1, t1)
    _slot(reading, 2, T(17, 0), T(18, 0), make.make_venue(school_a, name="阅览室"),
          make.make_staff(school_a, Role.TEACHER))
    doc = plan_document_for(term7)
    weeks = {w.label: w for w in tt.class_weeks(
        doc=doc, rule=tt.rule_for(doc, term7), classes=[class_a, full], rows=tt.slot_rows(term7)
    )}
    assert weeks["三年级1班"].meets
    assert not weeks["三年级2班"].meets
    assert weeks["三年级2班"].check.short_days == {2: 30}
    with translation.override("en"):
        assert weeks["三年级2班"].shortfalls == ["Grade 3 Class 2 Wednesday short by 30 minutes"]

    response = as_user(principal).get(reverse("programs:timetable") + f"?term={term7.pk}")
    assert [w.label for w in response.context["short_weeks"]] == ["三年级2班"]
    assert "周三" in response.content.decode()


def test_noon_care_slots_do_not_count_towards_5_plus_2_since_2024(term7, school_a, class_a):
    """A 午托 slot 11:10–13:30 every day would be 140 minutes, but it is not 课后服务."""
    care = _offering(term7, "三2班午托", kind=Offering.Kind.NOON_CARE, grades=[3], school_class=class_a)
    for day in range(5):
        _slot(care, day, T(11, 10), T(13, 30), make.make_venue(school_a), make.make_staff(school_a))
    doc = plan_document_for(term7)
    [week] = tt.class_weeks(doc=doc, rule=tt.rule_for(doc, term7), classes=[class_a],
                            rows=tt.slot_rows(term7))
    assert not week.meets and week.check.short_days == dict.fromkeys(range(5), 120)
