"""Students through the API: scoped like the pages, personal data masked by role."""

from __future__ import annotations

import re

from lib import testing as make

FULL_ID = re.compile(r"\d{17}[\dXx]")


def test_parent_sees_only_own_children_in_the_list(as_user, guardian_a, guardian_b, child_a):
    body = as_user(guardian_a).get("/api/students").json()
    assert body["count"] == 1
    assert [s["id"] for s in body["items"]] == [child_a.pk]


def test_parent_gets_404_for_another_parents_child(as_user, guardian_a, guardian_b, child_b):
    response = as_user(guardian_a).get(f"/api/students/{child_b.pk}")
    assert response.status_code == 404
    assert child_b.name not in response.content.decode()


def test_out_of_scope_and_missing_students_answer_alike(as_user, outsider, child_a):
    client = as_user(outsider)
    theirs = client.get(f"/api/students/{child_a.pk}")
    missing = client.get("/api/students/999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_other_schools_principal_sees_none_of_our_students(as_user, outsider, child_a, child_b):
    body = as_user(outsider).get("/api/students").json()
    assert body == {"items": [], "count": 0}


def test_guard_sees_masked_phones_and_no_priority_flags(as_user, guard, child_a, guardian_a):
    """A guard may see the roster (to hand children over) but not phones or hardship."""
    body = as_user(guard).get(f"/api/students/{child_a.pk}").json()
    assert body["priority_flags"] is None
    [guardian] = body["guardians"]
    assert guardian["phone"] != guardian_a.phone
    assert guardian["phone"] == guardian_a.masked_phone


def test_teacher_without_head_teacher_role_gets_the_same_masking(
    as_user, school_a, child_a, guardian_a
):
    plain_teacher = make.make_staff(school_a, "teacher", name="吴老师")
    body = as_user(plain_teacher).get("/api/students").json()
    [student] = body["items"]
    assert student["priority_flags"] is None
    assert student["guardians"][0]["phone"] == guardian_a.masked_phone


def test_principal_sees_priority_flags_and_phones(as_user, principal, child_a, guardian_a):
    body = as_user(principal).get(f"/api/students/{child_a.pk}").json()
    assert body["priority_flags"]["is_low_income"] is True
    assert body["priority_flags"]["is_migrant_child"] is False
    assert body["guardians"][0]["phone"] == guardian_a.phone


def test_parent_sees_own_childs_flags_and_own_phone(as_user, guardian_a, child_a):
    body = as_user(guardian_a).get(f"/api/students/{child_a.pk}").json()
    assert body["priority_flags"]["is_low_income"] is True
    assert body["guardians"][0]["phone"] == guardian_a.phone


def test_parent_sees_the_other_guardians_phone_masked(as_user, guardian_a, child_a):
    father = make.make_guardian(child_a, name="张爸爸")
    body = as_user(guardian_a).get(f"/api/students/{child_a.pk}").json()
    phones = {g["name"]: g["phone"] for g in body["guardians"]}
    assert phones == {"张妈妈": guardian_a.phone, "张爸爸": father.masked_phone}


def test_district_officer_sees_students_but_nothing_unmasked(
    as_user, district, child_a, guardian_a
):
    body = as_user(district).get(f"/api/students/{child_a.pk}").json()
    assert body["priority_flags"] is None
    assert body["guardians"][0]["phone"] == guardian_a.masked_phone


def test_it_never_returns_a_full_id_number(
    as_user, principal, teacher, guardian_a, district, child_a, child_b
):
    for who in (principal, teacher, guardian_a, district):
        client = as_user(who)
        for url in ("/api/students", f"/api/students/{child_a.pk}", "/api/guardians"):
            body = client.get(url).content.decode()
            assert not FULL_ID.search(body), (who, url)
    detail = as_user(principal).get(f"/api/students/{child_a.pk}").json()
    assert detail["national_id_masked"] == child_a.masked_national_id
    assert detail["national_id_masked"]


def test_it_answers_the_documented_shape(as_user, principal, child_a, class_a):
    body = as_user(principal).get(f"/api/students/{child_a.pk}").json()
    assert body["class"] == {"id": class_a.pk, "grade": 3, "number": 2, "label": class_a.label}
    assert body["birth_date"] == "2017-03-14"
    assert body["school_id"] == child_a.school_id
    assert body["gender"] == "M"


def test_it_filters_by_class_grade_and_name(as_user, principal, school_a, child_a, child_b):
    other_class = make.make_class(school_a, grade=5, number=1)
    fifth = make.make_student(other_class, name="王小五")
    client = as_user(principal)

    def ids(query: str) -> list[int]:
        return [s["id"] for s in client.get(f"/api/students?{query}").json()["items"]]

    assert ids(f"class_id={other_class.pk}") == [fifth.pk]
    assert ids("grade=3") == [child_b.pk, child_a.pk]  # liu before zhang
    assert ids("q=zhang") == [child_a.pk]
    assert ids("q=小红") == [child_b.pk]


def test_it_leaves_pupils_off_roll_out_of_the_list(as_user, principal, child_a):
    child_a.is_active = False
    child_a.save(update_fields=["is_active"])
    assert as_user(principal).get("/api/students").json()["count"] == 0
    assert as_user(principal).get(f"/api/students/{child_a.pk}").status_code == 200


def test_it_paginates(as_user, principal, class_a):
    for n in range(5):
        make.make_student(class_a, name=f"学生{n}")
    client = as_user(principal)
    first = client.get("/api/students?page_size=2").json()
    last = client.get("/api/students?page_size=2&page=3").json()
    assert first["count"] == last["count"] == 5
    assert len(first["items"]) == 2
    assert len(last["items"]) == 1


def test_bad_input_gets_field_errors_not_a_500(as_user, principal, child_a):
    client = as_user(principal)
    for query in ("grade=10", "class_id=abc", "page=0", "page_size=1000", "page=99999999999"):
        response = client.get(f"/api/students?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"][0]["loc"], query


def test_bad_ids_answer_404_in_the_api_format(as_user, principal, child_a):
    client = as_user(principal)
    for student_id in ("0", "-1", "abc", "1.5", "99999999999999999999999"):
        response = client.get(f"/api/students/{student_id}")
        assert response.status_code == 404, student_id
        assert response.json() == {"detail": "未找到。"}, student_id  # "Not found." in zh-hans
