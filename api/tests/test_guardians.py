"""Guardians through the API: themself for a guardian, their school's families for staff."""

from __future__ import annotations

from lib import testing as make


def test_guardian_sees_only_themself_with_their_own_phone(as_user, guardian_a, guardian_b, child_a):
    body = as_user(guardian_a).get("/api/guardians").json()
    assert body["count"] == 1
    [me] = body["items"]
    assert me["id"] == guardian_a.pk
    assert me["phone"] == guardian_a.phone
    assert [c["id"] for c in me["children"]] == [child_a.pk]


def test_guardian_gets_404_for_another_guardian(as_user, guardian_a, guardian_b):
    assert as_user(guardian_a).get(f"/api/guardians/{guardian_b.pk}").status_code == 404


def test_teacher_sees_the_schools_guardians_with_masked_phones(
    as_user, school_a, guardian_a, guardian_b
):
    plain_teacher = make.make_staff(school_a, "teacher", name="吴老师")
    body = as_user(plain_teacher).get("/api/guardians").json()
    phones = {g["id"]: g["phone"] for g in body["items"]}
    assert phones == {
        guardian_a.pk: guardian_a.masked_phone,
        guardian_b.pk: guardian_b.masked_phone,
    }


def test_head_teacher_sees_phones(as_user, teacher, guardian_a):
    """Head teachers must reach a family when a child is not collected (plan 1 §(四)4)."""
    body = as_user(teacher).get(f"/api/guardians/{guardian_a.pk}").json()
    assert body["phone"] == guardian_a.phone


def test_other_schools_principal_gets_404_for_our_guardian(as_user, outsider, guardian_a):
    assert as_user(outsider).get(f"/api/guardians/{guardian_a.pk}").status_code == 404
    assert as_user(outsider).get("/api/guardians").json()["count"] == 0


def test_staff_see_only_their_schools_children_of_a_shared_guardian(
    as_user, principal, outsider, guardian_a, child_a, class_b
):
    """A family with children in two schools: each school sees only its own child."""
    sibling = make.make_student(class_b, name="张小亮")
    make.StudentGuardian.objects.create(
        school_id=sibling.school_id, student=sibling, guardian=guardian_a, relation="mother"
    )
    ours = as_user(principal).get(f"/api/guardians/{guardian_a.pk}").json()
    theirs = as_user(outsider).get(f"/api/guardians/{guardian_a.pk}").json()
    assert [c["id"] for c in ours["children"]] == [child_a.pk]
    assert [c["id"] for c in theirs["children"]] == [sibling.pk]
    mine = as_user(guardian_a).get(f"/api/guardians/{guardian_a.pk}").json()
    assert {c["id"] for c in mine["children"]} == {child_a.pk, sibling.pk}


def test_it_filters_by_student(as_user, principal, guardian_a, guardian_b, child_b):
    body = as_user(principal).get(f"/api/guardians?student_id={child_b.pk}").json()
    assert [g["id"] for g in body["items"]] == [guardian_b.pk]
