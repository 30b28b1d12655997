"""Each role lands on its own home page, showing real counts from the database."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from lib import testing as make


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_principal_home_counts_students_and_priority_groups(as_user, principal, class_a, child_a, child_b):
    make.make_term(principal.school, start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31))
    response = _home(as_user(principal))
    assert response.templates[0].name == "reports/home_principal.html"
    counts = response.context["counts"]
    assert counts["students"] == 2
    assert counts["low_income"] == 1  # child_a
    assert counts["classes"] == 1
    # 84 school days from 1 Sep to 31 Dec 2026 (worked out in schools/tests/test_calendar.py).
    assert response.context["school_day_count"] == 84


def test_inactive_students_are_not_counted(as_user, principal, class_a, child_a):
    make.make_student(class_a, name="转学生").__class__.objects.filter(name="转学生").update(is_active=False)
    assert _home(as_user(principal)).context["counts"]["students"] == 1


def test_teacher_home_lists_own_classes(as_user, teacher, class_a, child_a, child_b):
    response = _home(as_user(teacher))
    assert response.templates[0].name == "reports/home_teacher.html"
    [mine] = response.context["my_classes"]
    assert mine.pk == class_a.pk and mine.n_students == 2


def test_finance_home(as_user, finance, child_a):
    response = _home(as_user(finance))
    assert response.templates[0].name == "reports/home_finance.html"
    assert response.context["counts"]["students"] == 1


def test_guard_home(as_user, guard, child_a):
    assert _home(as_user(guard)).templates[0].name == "reports/home_duty.html"


def test_guardian_home_shows_only_own_children(as_user, guardian_a, child_a, child_b, guardian_b):
    response = _home(as_user(guardian_a))
    assert response.templates[0].name == "reports/home_guardian.html"
    assert [c.pk for c in response.context["children"]] == [child_a.pk]
    assert child_b.name not in response.content.decode()


def test_guardian_of_two_children_sees_both(as_user, class_a, child_a):
    sibling = make.make_student(class_a, name="张小华")
    guardian = make.make_guardian(child_a, sibling, name="张奶奶")
    names = {c.name for c in _home(as_user(guardian)).context["children"]}
    assert names == {"张小明", "张小华"}


def test_district_home_counts_its_schools_only(as_user, district, child_a, class_b):
    make.make_student(class_b, name="北校学生")
    other_district_school = make.make_school()
    make.make_student(make.make_class(other_district_school), name="外区学生")
    response = _home(as_user(district))
    assert response.templates[0].name == "reports/home_district.html"
    assert {s.name: s.n_students for s in response.context["schools"]} == {"城南小学": 1, "城北小学": 1}
    assert response.context["total_students"] == 2


def test_user_without_a_role_is_told_so(as_user, db):
    response = as_user(make.make_user("lonely")).get(reverse("home"))
    assert response.status_code == 403


def test_home_query_count_does_not_grow_with_students(as_user, principal, class_a, django_assert_max_num_queries):
    client = as_user(principal)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("home"))
    for i in range(30):
        make.make_student(class_a, name=f"学生{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
