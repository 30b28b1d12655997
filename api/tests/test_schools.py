"""Classes and terms through the API, and a term's school days from the calendar."""

from __future__ import annotations

import datetime as dt

from lib import testing as make


def test_teacher_lists_the_schools_classes_with_student_counts(
    as_user, teacher, class_a, child_a, child_b, class_b
):
    body = as_user(teacher).get("/api/classes").json()
    assert body["count"] == 1
    [row] = body["items"]
    assert row["id"] == class_a.pk
    assert row["student_count"] == 2
    assert row["head_teacher_name"] == "陈老师"
    assert row["label"] == class_a.label


def test_student_count_leaves_out_pupils_off_roll(as_user, principal, class_a, child_a, child_b):
    child_b.is_active = False
    child_b.save(update_fields=["is_active"])
    assert as_user(principal).get(f"/api/classes/{class_a.pk}").json()["student_count"] == 1


def test_other_schools_principal_gets_404_for_our_class(as_user, outsider, class_a):
    assert as_user(outsider).get(f"/api/classes/{class_a.pk}").status_code == 404


def test_district_officer_sees_both_schools_classes(as_user, district, class_a, class_b):
    body = as_user(district).get("/api/classes").json()
    assert {c["id"] for c in body["items"]} == {class_a.pk, class_b.pk}
    only_a = as_user(district).get(f"/api/classes?school_id={class_a.school_id}").json()
    assert [c["id"] for c in only_a["items"]] == [class_a.pk]


def test_terms_are_scoped_and_dates_are_iso_strings(as_user, principal, outsider, school_a):
    term = make.make_term(school_a)
    body = as_user(principal).get(f"/api/terms/{term.pk}").json()
    assert body == {
        "id": term.pk,
        "school_id": school_a.pk,
        "name": term.name,
        "start": "2026-09-01",
        "end": "2026-12-31",
    }
    assert as_user(principal).get("/api/terms").json()["count"] == 1
    assert as_user(outsider).get(f"/api/terms/{term.pk}").status_code == 404
    assert as_user(outsider).get("/api/terms").json()["count"] == 0


def test_school_days_leave_out_national_day_week(as_user, principal, school_a):
    """2026 (State Council schedule, as packaged in chinese-calendar): 国庆 1–7 October off."""
    term = make.make_term(school_a, start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 9))
    body = as_user(principal).get(f"/api/terms/{term.pk}/school-days").json()
    dates = [d["date"] for d in body]
    assert dates == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09"]
    assert body[0] == {
        "date": "2026-09-28",
        "timetable_weekday": 0,
        "source": "official",
        "reason": "",
    }


def test_school_days_filter_by_weekday(as_user, principal, school_a):
    term = make.make_term(school_a, start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    body = as_user(principal).get(f"/api/terms/{term.pk}/school-days?weekday=2").json()
    assert [d["date"] for d in body] == [
        "2026-09-02",
        "2026-09-09",
        "2026-09-16",
        "2026-09-23",
        "2026-09-30",
    ]


def test_school_days_of_an_unknown_year_answer_409(as_user, principal, school_a):
    term = make.make_term(school_a, start=dt.date(2099, 9, 1), end=dt.date(2099, 12, 31))
    response = as_user(principal).get(f"/api/terms/{term.pk}/school-days")
    assert response.status_code == 409
    assert "2099" in response.json()["detail"]


def test_school_days_refuse_a_bad_weekday(as_user, principal, school_a):
    term = make.make_term(school_a)
    response = as_user(principal).get(f"/api/terms/{term.pk}/school-days?weekday=5")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "weekday"]


def test_school_days_of_another_schools_term_answer_404(as_user, outsider, school_a):
    term = make.make_term(school_a)
    assert as_user(outsider).get(f"/api/terms/{term.pk}/school-days").status_code == 404
