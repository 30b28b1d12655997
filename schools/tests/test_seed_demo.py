"""The demo district (`make demo`): deterministic, valid, complete, and every login lands home."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from lib.identity import birth_date_from_national_id, national_id_problem
from people.models import Guardian, Staff, StaffRole, Student, User, Vetting
from people.roles import ROLES_NEEDING_VETTING, Role
from schools.calendar import school_days
from schools.demo import DEMO_GUARDIAN_PHONE, DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from schools.models import School, SchoolClass, Term, Venue

SMALL = {"schools": 2, "students": 120, "seed": 7}


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # One demo password hash per seed and one check per login; the real hasher takes ~0.5 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return seed_demo(**SMALL)


class _Rollback(Exception):
    pass


def _fingerprint(seed: int) -> list[tuple]:
    """Seed inside a savepoint, read who was created, then roll the savepoint back."""
    try:
        with transaction.atomic():
            seed_demo(schools=2, students=120, seed=seed)
            rows = list(
                Student.objects.order_by("student_number").values_list(
                    "student_number",
                    "name",
                    "gender",
                    "birth_date",
                    "national_id",
                    "school_class__grade",
                    "school_class__number",
                )
            )
            rows += list(Guardian.objects.order_by("phone").values_list("phone", "name"))
            rows += list(Staff.objects.order_by("phone").values_list("phone", "name", "subjects"))
            raise _Rollback
    except _Rollback:
        return rows


def test_it_gives_the_same_people_for_the_same_seed(db):
    first = _fingerprint(7)
    assert Student.objects.count() == 0
    assert _fingerprint(7) == first
    assert _fingerprint(8) != first


def test_it_puts_the_students_into_classes_of_six_grades(demo):
    assert demo.students == Student.objects.count() == 120
    for school in School.objects.all():
        assert set(SchoolClass.objects.filter(school=school).values_list("grade", flat=True)) == {
            1,
            2,
            3,
            4,
            5,
            6,
        }
    assert Student.objects.values("school_id", "student_number").distinct().count() == 120


def test_every_national_id_is_valid_and_matches_birth_date_and_gender(demo):
    for student in Student.objects.select_related("school_class"):
        assert national_id_problem(student.national_id) is None, student.national_id
        assert birth_date_from_national_id(student.national_id) == student.birth_date
        assert int(student.national_id[16]) % 2 == (1 if student.gender == "M" else 0)
        # Grade 1 of autumn 2026 was born 1 Sep 2019 – 31 Aug 2020; each grade up, a year older.
        grade = student.school_class.grade
        assert dt.date(2020 - grade, 9, 1) <= student.birth_date <= dt.date(2021 - grade, 8, 31)
    assert Student.objects.values("national_id").distinct().count() == 120


def test_every_class_has_a_head_teacher_and_a_home_room_of_its_school(demo):
    for school_class in SchoolClass.objects.select_related("head_teacher", "home_room"):
        assert school_class.head_teacher.school_id == school_class.school_id
        assert Role.HEAD_TEACHER in school_class.head_teacher.role_set
        assert school_class.home_room.school_id == school_class.school_id
        assert school_class.home_room.kind == Venue.Kind.CLASSROOM


def test_every_role_has_a_holder_in_every_school(demo):
    for school in School.objects.all():
        held = set(StaffRole.objects.filter(staff__school=school).values_list("role", flat=True))
        assert held == set(Role.values), school


def test_outside_helpers_are_vetted_except_one_instructor_per_school(demo):
    outsiders = Staff.objects.filter(roles__role__in=ROLES_NEEDING_VETTING).distinct()
    unvetted = [s for s in outsiders.select_related("vetting") if not s.is_vetted]
    assert len(unvetted) == 2
    assert all(s.role_set == {Role.EXTERNAL_INSTRUCTOR} for s in unvetted)
    assert {s.school_id for s in unvetted} == set(School.objects.values_list("pk", flat=True))
    assert Vetting.objects.count() == outsiders.count() - 2


def test_the_term_calendar_runs_into_2027_with_announced_timetables(demo):
    term = Term.objects.get(school__code="DEMO-SFQ-01")
    days = {d.date: d for d in school_days(term)}
    assert dt.date(2027, 1, 1) not in days  # 元旦, entered by the school
    assert dt.date(2027, 1, 4) in days
    assert days[dt.date(2026, 10, 10)].timetable_weekday == 3  # 按周四课表
    assert days[dt.date(2026, 9, 20)].timetable_weekday == 0


def test_the_demo_guardian_has_two_children_in_school_one(demo):
    guardian = Guardian.objects.get(phone=DEMO_GUARDIAN_PHONE)
    children = guardian.students.select_related("school_class", "school")
    assert sorted(c.school_class.grade for c in children) == [2, 5]
    assert {c.school.code for c in children} == {"DEMO-SFQ-01"}


def test_the_demo_password_passes_the_password_rules(demo):
    for login in DEMO_LOGINS:
        validate_password(DEMO_PASSWORD, User.objects.get(username=login.login))


EXPECTED_HOME = {
    "principal": "reports/home_principal.html",
    "teacher": "reports/home_teacher.html",
    "finance": "reports/home_finance.html",
    "duty": "reports/home_duty.html",
    "guard": "reports/home_duty.html",
    "district": "reports/home_district.html",
    "principal2": "reports/home_principal.html",
    DEMO_GUARDIAN_PHONE: "reports/home_guardian.html",
}


def _sign_in(login: str):
    return Client().post("/login/", {"username": login, "password": DEMO_PASSWORD}, follow=True)


def test_each_demo_login_reaches_its_own_home_page(demo):
    assert set(EXPECTED_HOME) == {d.login for d in DEMO_LOGINS}
    for login, template in EXPECTED_HOME.items():
        response = _sign_in(login)
        assert response.status_code == 200, login
        assert response.redirect_chain == [("/", 302)], login
        assert template in [t.name for t in response.templates], login


def test_the_home_pages_show_each_role_its_own_figures(demo):
    one, two = School.objects.order_by("code")
    page = _sign_in("principal").content.decode()
    on_roll = Student.objects.filter(school=one).count()
    assert "在籍学生" in page and f'<span class="n">{on_roll}</span>' in page and one.name in page
    page = _sign_in("principal2").content.decode()
    assert two.name in page and one.name not in page
    page = _sign_in("teacher").content.decode()
    assert "二年级1班" in page
    page = _sign_in("district").content.decode()
    assert one.name in page and two.name in page
    page = _sign_in(DEMO_GUARDIAN_PHONE).content.decode()
    for child in Guardian.objects.get(phone=DEMO_GUARDIAN_PHONE).students.all():
        assert child.name in page


def test_seed_demo_if_empty_runs_once_and_demo_logins_prints_them(db):
    out = StringIO()
    call_command(
        "seed_demo", "--schools", "1", "--students", "60", "--seed", "3", "--if-empty", stdout=out
    )
    call_command("seed_demo", "--schools", "1", "--students", "60", "--if-empty", stdout=out)
    assert Student.objects.count() == 60
    assert "跳过" in out.getvalue()
    out = StringIO()
    call_command("demo_logins", stdout=out, stderr=StringIO())
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed and "principal" in printed and DEMO_GUARDIAN_PHONE in printed
