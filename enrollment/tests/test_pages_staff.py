"""Staff pages: the head teacher reviews their own classes only, leaders review and record the
parent committee's decision, run the allocation with a seed; lists follow the masking rules;
list pages cost a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrollment.models import (
    Application,
    ChildApplication,
    Choice,
    EnrollmentWindow,
    LotteryDraw,
    Review,
)
from enrollment.services import ChildRequest
from enrollment.tests.conftest import open_club, published_term
from enrollment.tests.test_pages_guardian import apply_now, open_now
from lib import testing as make
from lib.identity import mask_phone
from notices.models import Notice
from people.models import User
from people.roles import Role


@pytest.fixture
def term(lottery_term):
    return open_now(lottery_term)


@pytest.fixture
def two_applications(term, guardian_a, child_a, guardian_b, child_b):
    """张小明 and 刘小红 of class 3-2 (陈老师's class), both waiting for the class review."""
    a = apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, after_school=True)).children.get()
    b = apply_now(guardian_b, term, ChildRequest(student_id=child_b.pk, after_school=True), key="b").children.get()
    return a, b


def _review(client, *ids, step=Review.Step.CLASS, decision="approve", reason=""):
    return client.post(reverse("enrollment:review"), {
        "child": [str(i) for i in ids], "step": step, "decision": decision, "reason": reason,
        "next": reverse("enrollment:class_review"),
    })


def test_the_head_teacher_approves_the_ticked_applications(as_user, teacher, two_applications):
    a, b = two_applications
    client = as_user(teacher)
    page = client.get(reverse("enrollment:class_review"))
    assert {r["child"].pk for r in page.context["rows"]} == {a.pk, b.pk}
    assert _review(client, a.pk, b.pk).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == ChildApplication.Status.CLASS_APPROVED
    assert Review.objects.filter(reviewer=teacher.user, step=Review.Step.CLASS).count() == 2


def test_a_head_teacher_of_another_class_gets_404(as_user, school_a, teacher, two_applications):
    a, _ = two_applications
    other = make.make_staff(school_a, Role.TEACHER, Role.HEAD_TEACHER, name="别班老师")
    other_class = make.make_class(school_a, grade=4, number=1)
    other_class.head_teacher = other
    other_class.save(update_fields=["head_teacher"])
    client = as_user(other)
    assert client.get(reverse("enrollment:class_review")).context["rows"] == []
    assert _review(client, a.pk).status_code == 404
    assert _review(client, a.pk, decision="return", reason="不行").status_code == 404
    a.refresh_from_db()
    assert a.status == ChildApplication.Status.SUBMITTED and not Review.objects.exists()


def test_another_schools_principal_gets_404(as_user, outsider, two_applications):
    assert _review(as_user(outsider), two_applications[0].pk).status_code == 404


def test_a_return_needs_a_reason_and_then_shows_it(as_user, teacher, guardian_a, two_applications):
    a, _ = two_applications
    client = as_user(teacher)
    _review(client, a.pk, decision="return", reason="  ")
    a.refresh_from_db()
    assert a.status == ChildApplication.Status.SUBMITTED
    _review(client, a.pk, decision="return", reason="请补充接送人信息")
    a.refresh_from_db()
    assert a.status == ChildApplication.Status.RETURNED
    assert "请补充接送人信息" in as_user(guardian_a).get(reverse("enrollment:mine")).content.decode()


def test_teachers_and_guardians_may_not_open_the_leaders_pages(as_user, teacher, guardian_a, term):
    for user in (teacher, guardian_a):
        client = as_user(user)
        for url in (reverse("enrollment:school_review"), reverse("enrollment:allocation")):
            assert client.get(url).status_code == 403, url
    assert as_user(guardian_a).get(reverse("enrollment:class_review")).status_code == 403


def test_the_school_list_filters_by_status_grade_and_class(as_user, principal, teacher, class_a, term, two_applications):
    a, b = two_applications
    fifth = make.make_student(make.make_class(class_a.school, grade=5, number=1), name="王小五")
    c = apply_now(make.make_guardian(fifth), term, ChildRequest(student_id=fifth.pk, after_school=True), key="c").children.get()
    _review(as_user(teacher), a.pk)
    client = as_user(principal)
    url = reverse("enrollment:school_review")

    def shown(**params):
        return {r["child"].pk for r in client.get(url, {"term": term.pk, **params}).context["rows"]}

    assert shown() == {a.pk}  # waiting for the school by default
    assert shown(status="all") == {a.pk, b.pk, c.pk}
    assert shown(status="all", grade="5") == {c.pk}
    assert shown(status="submitted", **{"class": str(class_a.pk)}) == {b.pk}


@pytest.fixture
def committee_term(school_a):
    """Plan 2 with plan 7's parent-committee review (plan 7 六(二): 经学校和家长委员会审核通过)."""
    def with_committee(document):
        document["selection"]["application_steps"].append("parent_committee_review")

    return open_now(published_term(school_a, "p2", with_committee))


def test_leaders_record_the_parent_committees_decision(as_user, principal, teacher, committee_term, guardian_a, child_a):
    item = apply_now(guardian_a, committee_term, ChildRequest(student_id=child_a.pk, after_school=True)).children.get()
    _review(as_user(teacher), item.pk)
    client = as_user(principal)
    _review(client, item.pk, step=Review.Step.SCHOOL)
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.SCHOOL_APPROVED
    page = client.get(reverse("enrollment:school_review"), {"term": committee_term.pk, "status": "school_approved"})
    assert page.context["bulk_step"] == Review.Step.COMMITTEE
    _review(client, item.pk, step=Review.Step.COMMITTEE, reason="家委会2026年8月20日会议通过")
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.APPROVED
    assert item.reviews.get(step=Review.Step.COMMITTEE).reason == "家委会2026年8月20日会议通过"


def test_a_stale_page_cannot_record_a_later_step(as_user, principal, teacher, two_applications):
    """The step is the one the page showed: approving the class step twice does not approve
    the school step."""
    a, _ = two_applications
    _review(as_user(teacher), a.pk)
    _review(as_user(principal), a.pk)  # the class step again, from a stale page
    a.refresh_from_db()
    assert a.status == ChildApplication.Status.CLASS_APPROVED


def test_the_allocation_page_runs_with_the_entered_seed(as_user, principal, term, guardian_a, child_a, guardian_b, child_b):
    club = open_club(term, capacity=1)
    for guardian, child, key in ((guardian_a, child_a, "a"), (guardian_b, child_b, "b")):
        apply_now(guardian, term, ChildRequest(student_id=child.pk, choices=[club.pk]), key=key)
    ChildApplication.objects.update(status=ChildApplication.Status.APPROVED)
    client = as_user(principal)
    response = client.post(reverse("enrollment:allocation"), {"term": term.pk, "seed": "2026-08-31 福彩3D 123"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.placed == 1 and report.waitlisted == 1
    draw = LotteryDraw.objects.get()
    assert draw.seed == "2026-08-31 福彩3D 123" and draw.created_by == principal.user
    assert response.context["draws"] == [draw]
    assert "福彩3D" in response.content.decode()


def test_class_and_instructor_lists_follow_the_phone_rules(as_user, school_a, teacher, term, guardian_a, child_a):
    coach_club = open_club(term, name="篮球兴趣小组", capacity=5)
    coach = coach_club.slots.get().instructor
    apply_now(guardian_a, term, ChildRequest(student_id=child_a.pk, choices=[coach_club.pk]))
    ChildApplication.objects.update(status=ChildApplication.Status.APPROVED)
    Choice.objects.update(status=Choice.Status.PLACED)
    head = as_user(teacher).get(reverse("enrollment:class_list", args=[child_a.school_class_id]), {"term": term.pk})
    assert head.status_code == 200
    text = head.content.decode()
    assert "张小明" in text and guardian_a.phone in text  # a head teacher may reach the family
    coach.user = make.make_user()
    coach.save(update_fields=["user"])
    listed = as_user(coach).get(reverse("enrollment:offering_list", args=[coach_club.pk]))
    text = listed.content.decode()
    assert "张小明" in text and mask_phone(guardian_a.phone) in text and guardian_a.phone not in text
    stranger = make.make_staff(school_a, Role.TEACHER, name="别的老师")
    assert as_user(stranger).get(reverse("enrollment:offering_list", args=[coach_club.pk])).status_code == 404
    assert as_user(stranger).get(reverse("enrollment:class_list", args=[child_a.school_class_id])).status_code == 404


def _applications(term, class_a, n):
    club = open_club(term, name=f"合唱{n}", capacity=50)
    for i in range(n):
        student = make.make_student(class_a, name=f"学生{i}")
        apply_now(make.make_guardian(student), term,
                  ChildRequest(student_id=student.pk, after_school=True, choices=[club.pk]), key=f"k{i}")


@pytest.mark.parametrize("page", ["school_review", "class_review"])
def test_list_pages_cost_the_same_queries_for_5_and_30_applications(as_user, principal, term, class_a, page):
    client = as_user(principal)
    url = reverse(f"enrollment:{page}")
    params = {"term": term.pk, "status": "all"} if page == "school_review" else {}
    counts = []
    for n in (5, 25):
        _applications(term, class_a, n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert len(response.context["rows"]) == (5 if n == 5 else 30)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_admin_shows_enrollment_rows_read_only(client, two_applications):
    admin = User.objects.create_superuser("root", password=make.PASSWORD)
    client.force_login(admin, backend="people.auth.UsernameOrPhoneBackend")
    for model in (Application, ChildApplication, Review, Choice, LotteryDraw, EnrollmentWindow, Notice):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    item = two_applications[0]
    change = reverse("admin:enrollment_childapplication_change", args=[item.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"status": "approved"}).status_code == 403
    assert client.get(reverse("admin:enrollment_review_add")).status_code == 403
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.SUBMITTED
