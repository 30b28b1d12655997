"""From a guardian's application to a place: the review chain of plan 2
("建立家长申请、班级审核、学校统一实施的工作机制") and its notices."""

from __future__ import annotations

import datetime as dt

import pytest

from enrollment.allocation import allocate_term
from enrollment.models import Application, ChildApplication, Choice, Review
from enrollment.services import ChildRequest, EnrollmentError, review, submit_application, withdraw
from enrollment.tests.conftest import OPEN_NOW, open_club
from lib import testing as make
from notices.models import Notice
from people.actor import actor_for


@pytest.fixture
def family(class_a, child_a):
    """One guardian with two children in school A (the second in another class)."""
    other_class = make.make_class(class_a.school, grade=5, number=1)
    sibling = make.make_student(other_class, name="张小华")
    guardian = make.make_guardian(child_a, sibling, name="张妈妈")
    return guardian, child_a, sibling


def _apply(guardian, term, *requests, key="k1"):
    return submit_application(
        guardian=guardian, term=term, children=list(requests), idempotency_key=key,
        agreement_accepted=True, now=OPEN_NOW,
    )


def test_one_submission_covers_two_children(lottery_term, family):
    guardian, child, sibling = family
    club = open_club(lottery_term)
    application = _apply(
        guardian, lottery_term,
        ChildRequest(student_id=child.pk, after_school=True, choices=[club.pk]),
        ChildRequest(student_id=sibling.pk, after_school=True, meals=True),
    )
    children = list(application.children.order_by("student__name"))
    assert {c.student for c in children} == {child, sibling}
    assert all(c.status == ChildApplication.Status.SUBMITTED for c in children)
    assert application.plan_version == 1
    assert application.fees_seen == lottery_term.plans.get().document["fees"]
    assert len({c.receipt for c in children}) == 2
    assert Notice.objects.filter(guardian=guardian, kind="application.submitted").count() == 1


def test_same_key_twice_gives_one_application(lottery_term, family):
    guardian, child, _ = family
    first = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True), key="dbl")
    again = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True), key="dbl")
    assert first.pk == again.pk
    assert Application.objects.count() == 1 and ChildApplication.objects.count() == 1


def test_a_second_application_for_the_same_child_is_refused(lottery_term, family):
    guardian, child, _ = family
    _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True), key="a")
    with pytest.raises(EnrollmentError):
        _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, noon_care=False, after_school=True), key="b")
    assert ChildApplication.objects.count() == 1


def test_applying_for_someone_elses_child_creates_nothing(lottery_term, guardian_a, child_b):
    with pytest.raises(EnrollmentError):
        _apply(guardian_a, lottery_term, ChildRequest(student_id=child_b.pk, after_school=True))
    assert not Application.objects.exists()


def test_closed_window_and_missing_agreement_are_refused(lottery_term, family):
    guardian, child, _ = family
    with pytest.raises(EnrollmentError):
        submit_application(guardian=guardian, term=lottery_term, children=[ChildRequest(student_id=child.pk, after_school=True)],
                           idempotency_key="late", agreement_accepted=True, now=OPEN_NOW + dt.timedelta(days=30))
    with pytest.raises(EnrollmentError):
        submit_application(guardian=guardian, term=lottery_term, children=[ChildRequest(student_id=child.pk, after_school=True)],
                           idempotency_key="no", agreement_accepted=False, now=OPEN_NOW)
    assert not Application.objects.exists()


def test_club_for_another_grade_is_refused(lottery_term, family):
    guardian, child, _ = family
    club = open_club(lottery_term, name="六年级书法", grades=[6])
    with pytest.raises(EnrollmentError) as exc:
        _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, choices=[club.pk]))
    assert "六年级书法" in exc.value.problems[0]


def test_whole_chain_to_a_place(lottery_term, family, teacher, principal):
    """Head teacher approves, the school approves, the allocation gives the place."""
    guardian, child, _ = family
    club = open_club(lottery_term, capacity=5)
    application = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True, choices=[club.pk]))
    item = application.children.get()
    item = review(child=item, step=Review.Step.CLASS, approve=True, reason="", actor=actor_for(teacher.user))
    assert item.status == ChildApplication.Status.CLASS_APPROVED
    item = review(child=item, step=Review.Step.SCHOOL, approve=True, reason="", actor=actor_for(principal.user))
    assert item.status == ChildApplication.Status.APPROVED  # plan 2 has no committee step
    report = allocate_term(term=lottery_term, acting_user=principal.user, now=OPEN_NOW)
    assert report.placed == 1
    choice = Choice.objects.get()
    assert choice.status == Choice.Status.PLACED and choice.why
    kinds = list(Notice.objects.filter(guardian=guardian).order_by("id").values_list("kind", flat=True))
    assert kinds == ["application.submitted", "application.class_approved", "application.approved", "choice.placed"]
    assert [r.step for r in item.reviews.all()] == ["class_review", "school_review"]


def test_returned_application_shows_the_reason(lottery_term, family, teacher):
    guardian, child, _ = family
    item = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True)).children.get()
    with pytest.raises(EnrollmentError):
        review(child=item, step=Review.Step.CLASS, approve=False, reason=" ", actor=actor_for(teacher.user))
    item = review(child=item, step=Review.Step.CLASS, approve=False, reason="请补充接送人信息",
                  actor=actor_for(teacher.user))
    assert item.status == ChildApplication.Status.RETURNED
    assert item.reviews.get().reason == "请补充接送人信息"
    assert Notice.objects.filter(guardian=guardian, body="请补充接送人信息").exists()


def test_head_teacher_of_another_class_cannot_review(lottery_term, family, school_a):
    guardian, child, sibling = family
    other_teacher = make.make_staff(school_a, "teacher", "head_teacher", name="别班老师")
    item = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True)).children.get()
    with pytest.raises(EnrollmentError):
        review(child=item, step=Review.Step.CLASS, approve=True, reason="", actor=actor_for(other_teacher.user))
    item.refresh_from_db()
    assert item.status == ChildApplication.Status.SUBMITTED
    assert not Review.objects.exists()


def test_school_cannot_skip_the_class_review(lottery_term, family, principal):
    guardian, child, _ = family
    item = _apply(guardian, lottery_term, ChildRequest(student_id=child.pk, after_school=True)).children.get()
    with pytest.raises(EnrollmentError):
        review(child=item, step=Review.Step.SCHOOL, approve=True, reason="", actor=actor_for(principal.user))


def test_withdrawal_frees_the_place_for_the_waiting_list(first_come_term, family, guardian_b, child_b):
    guardian, child, _ = family
    club = open_club(first_come_term, capacity=1)
    mine = _apply(guardian, first_come_term, ChildRequest(student_id=child.pk, choices=[club.pk])).children.get()
    _apply(guardian_b, first_come_term, ChildRequest(student_id=child_b.pk, choices=[club.pk]), key="b")
    waiting = Choice.objects.get(child_application__student=child_b)
    assert waiting.status == Choice.Status.WAITLISTED and waiting.waitlist_position == 1
    withdraw(child=mine, guardian=guardian, now=OPEN_NOW)
    waiting.refresh_from_db()
    assert waiting.status == Choice.Status.OFFERED
    assert waiting.offer_expires_at == OPEN_NOW + dt.timedelta(days=3)
    assert Notice.objects.filter(guardian=guardian_b, kind="choice.offered").exists()
