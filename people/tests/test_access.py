"""Who sees which student: a guardian their own children, staff their own school only."""

from __future__ import annotations

import re

from django.urls import reverse

from audit.models import AuditEvent
from lib import testing as make

FULL_ID = re.compile(r"\d{17}[\dXx]")


def test_parent_sees_own_child(as_user, guardian_a, child_a):
    response = as_user(guardian_a).get(reverse("people:student_detail", args=[child_a.pk]))
    assert response.status_code == 200
    assert child_a.name in response.content.decode()


def test_parent_gets_404_for_another_parents_child(as_user, guardian_a, guardian_b, child_b):
    response = as_user(guardian_a).get(reverse("people:student_detail", args=[child_b.pk]))
    assert response.status_code == 404
    assert child_b.name not in response.content.decode()


def test_parent_may_not_open_the_roster_list(as_user, guardian_a):
    assert as_user(guardian_a).get(reverse("people:student_list")).status_code == 403


def test_other_school_gets_404_for_our_student(as_user, outsider, child_a):
    response = as_user(outsider).get(reverse("people:student_detail", args=[child_a.pk]))
    assert response.status_code == 404


def test_other_school_list_does_not_show_our_students(as_user, outsider, child_a):
    response = as_user(outsider).get(reverse("people:student_list"))
    assert response.status_code == 200
    assert child_a.name not in response.content.decode()


def test_anonymous_is_sent_to_login(client, child_a):
    response = client.get(reverse("people:student_detail", args=[child_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_masks_ids_and_hides_flags_from_teachers(as_user, teacher, child_a, guardian_a):
    page = as_user(teacher).get(reverse("people:student_list")).content.decode()
    assert child_a.name in page
    assert not FULL_ID.search(page)
    assert child_a.masked_national_id in page
    # Family hardship is not a teacher's business (未成年人学校保护规定 2021).
    assert "家庭经济困难" not in page and "low-income" not in page


def test_list_shows_flags_to_the_principal_but_never_full_ids(as_user, principal, child_a):
    page = as_user(principal).get(reverse("people:student_list")).content.decode()
    assert not FULL_ID.search(page)
    assert "家庭经济困难" in page


def test_detail_masks_phones_for_a_guard(as_user, guard, child_a, guardian_a):
    page = as_user(guard).get(reverse("people:student_detail", args=[child_a.pk])).content.decode()
    assert guardian_a.phone not in page
    assert guardian_a.masked_phone in page
    assert not FULL_ID.search(page)


def test_head_teacher_sees_guardian_phone(as_user, teacher, child_a, guardian_a):
    page = as_user(teacher).get(reverse("people:student_detail", args=[child_a.pk])).content.decode()
    assert guardian_a.phone in page


def test_guardian_sees_own_phone_but_not_the_other_guardians(as_user, child_a, guardian_a):
    other = make.make_guardian(child_a, name="张爸爸")
    page = as_user(guardian_a).get(reverse("people:student_detail", args=[child_a.pk])).content.decode()
    assert guardian_a.phone in page
    assert other.phone not in page


def test_revealing_a_full_id_is_audited_once(as_user, principal, child_a):
    client = as_user(principal)
    response = client.post(reverse("people:reveal_national_id", args=[child_a.pk]))
    assert response.status_code == 200
    assert child_a.national_id in response.content.decode()
    events = AuditEvent.objects.filter(action="unmasked_read.national_id")
    assert events.count() == 1
    assert events.get().subject_id == str(child_a.pk)
    assert events.get().actor == principal.user


def test_teacher_may_not_reveal_a_full_id(as_user, teacher, child_a):
    response = as_user(teacher).post(reverse("people:reveal_national_id", args=[child_a.pk]))
    assert response.status_code == 403
    assert child_a.national_id not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_list_query_count_does_not_grow_with_the_roster(
    as_user, principal, class_a, django_assert_max_num_queries
):
    client = as_user(principal)
    for i in range(5):
        make.make_student(class_a, name=f"学生{i}")
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("people:student_list"))
    for i in range(45):
        make.make_student(class_a, name=f"同学{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("people:student_list"))
