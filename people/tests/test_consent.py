"""Guardian consent before a child's data is used beyond the roster (issue 11 §2, PIPL art. 31)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from enrollment.models import ChildApplication, Choice, Review
from enrollment.services import ChildRequest, EnrollmentError, resubmit, review, submit_application
from enrollment.tests.conftest import OPEN_NOW, open_club, published_term
from lib import testing as make
from people.actor import actor_for
from people.consent import give_consent, has_consent, withdraw_consent
from people.models import Consent


@pytest.fixture
def term(school_a):
    return published_term(school_a, "p2", lambda d: d["selection"].update(method="first_come"))


@pytest.fixture
def unconsented(class_a):
    """A child whose guardian has not consented yet."""
    child = make.make_student(class_a, name="王小丽")
    return child, make.make_guardian(child, name="王妈妈", consent=False)


def _apply(guardian, term, child, *, key="k1", choices=()):
    return submit_application(
        guardian=guardian,
        term=term,
        children=[ChildRequest(student_id=child.pk, after_school=True, choices=list(choices))],
        idempotency_key=key,
        agreement_accepted=True,
        now=OPEN_NOW,
    )


def test_an_application_without_consent_is_refused_and_changes_nothing(term, unconsented):
    child, guardian = unconsented

    with pytest.raises(EnrollmentError) as refused:
        _apply(guardian, term, child)

    assert len(refused.value.problems) == 1 and "王小丽" in refused.value.problems[0]
    assert not ChildApplication.objects.exists()


def test_after_consent_the_same_application_is_accepted(term, unconsented):
    child, guardian = unconsented
    give_consent(guardian=guardian, student_id=child.pk)

    application = _apply(guardian, term, child)

    assert application.children.get().student_id == child.pk


def test_giving_consent_is_recorded_once_with_text_version_and_audited(unconsented):
    child, guardian = unconsented

    first = give_consent(guardian=guardian, student_id=child.pk)
    again = give_consent(guardian=guardian, student_id=child.pk)

    assert first.pk == again.pk
    assert (
        first.text_version
        and first.guardian_id == guardian.pk
        and first.school_id == child.school_id
    )
    assert list(
        AuditEvent.objects.filter(action="consent.given").values_list("subject_id", flat=True)
    ) == [str(child.pk)]


def test_withdrawing_consent_withdraws_open_applications_and_frees_the_place(
    term, guardian_a, child_a, class_a
):
    club = open_club(term, capacity=1)
    _apply(guardian_a, term, child_a, choices=[club.pk])
    waiting_child = make.make_student(class_a, name="刘小红")
    waiting_guardian = make.make_guardian(waiting_child)
    _apply(waiting_guardian, term, waiting_child, key="k2", choices=[club.pk])
    assert (
        Choice.objects.get(child_application__student=waiting_child).status
        == Choice.Status.WAITLISTED
    )

    assert withdraw_consent(guardian=guardian_a, student_id=child_a.pk, now=OPEN_NOW)

    assert ChildApplication.objects.get(student=child_a).status == ChildApplication.Status.WITHDRAWN
    assert Choice.objects.get(child_application__student=child_a).status == Choice.Status.WITHDRAWN
    # The place goes to the waiting list in order.
    assert Choice.objects.get(child_application__student=waiting_child).status in Choice.HOLDS_PLACE
    assert not has_consent(student_id=child_a.pk)
    assert (
        AuditEvent.objects.filter(action="consent.withdrawn", subject_id=str(child_a.pk)).count()
        == 1
    )


def test_after_withdrawal_new_applications_and_resubmissions_are_refused(
    term, guardian_a, child_a, principal
):
    application = _apply(guardian_a, term, child_a)
    child = application.children.get()
    review(
        child=child,
        step=Review.Step.CLASS,
        approve=False,
        reason="请补充紧急联系人电话",
        actor=actor_for(principal.user),
    )
    Consent.objects.filter(student=child_a).update(withdrawn_at=OPEN_NOW, withdrawn_by=guardian_a)

    with pytest.raises(EnrollmentError):
        resubmit(child=child, guardian=guardian_a)
    with pytest.raises(EnrollmentError):
        _apply(guardian_a, term, child_a, key="k2")


def test_any_guardian_of_the_child_may_withdraw(term, guardian_a, child_a):
    father = make.make_guardian(child_a, name="张爸爸", consent=False)

    assert withdraw_consent(guardian=father, student_id=child_a.pk)

    consent = Consent.objects.get(student=child_a)
    assert consent.guardian_id == guardian_a.pk and consent.withdrawn_by_id == father.pk


def test_giving_again_after_withdrawal_adds_a_new_row_and_keeps_the_history(guardian_a, child_a):
    withdraw_consent(guardian=guardian_a, student_id=child_a.pk)
    give_consent(guardian=guardian_a, student_id=child_a.pk)

    rows = Consent.objects.filter(student=child_a).order_by("given_at", "pk")
    assert [r.withdrawn_at is None for r in rows] == [False, True]


def test_a_past_terms_application_is_kept_when_consent_is_withdrawn(school_a, guardian_a, child_a):
    term = published_term(school_a, "p2")
    _apply(guardian_a, term, child_a)

    withdraw_consent(
        guardian=guardian_a, student_id=child_a.pk, now=OPEN_NOW + dt.timedelta(days=200)
    )

    assert ChildApplication.objects.get(student=child_a).status != ChildApplication.Status.WITHDRAWN


def test_a_guardian_cannot_touch_another_familys_child(guardian_a, child_b, guardian_b):
    from people.models import Student

    with pytest.raises(Student.DoesNotExist):
        withdraw_consent(guardian=guardian_a, student_id=child_b.pk)
    assert has_consent(student_id=child_b.pk)


# --- The page ----------------------------------------------------------------------------


def test_the_page_lists_each_child_with_the_consent_state(as_user, unconsented, guardian_a):
    child, guardian = unconsented
    page = as_user(guardian).get(reverse("people:consent"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "王小丽" in text and 'value="give"' in text and "张小明" not in text


def test_the_page_gives_and_withdraws(as_user, unconsented):
    child, guardian = unconsented
    client = as_user(guardian)

    client.post(reverse("people:consent"), {"student": child.pk, "action": "give"})
    assert has_consent(student_id=child.pk)
    assert 'value="withdraw"' in client.get(reverse("people:consent")).content.decode()

    client.post(reverse("people:consent"), {"student": child.pk, "action": "withdraw"})
    assert not has_consent(student_id=child.pk)


def test_posting_another_familys_child_answers_404_and_changes_nothing(
    as_user, guardian_a, child_b, guardian_b
):
    response = as_user(guardian_a).post(
        reverse("people:consent"), {"student": child_b.pk, "action": "withdraw"}
    )

    assert response.status_code == 404
    assert has_consent(student_id=child_b.pk)


def test_bad_input_gets_a_message_and_changes_nothing(as_user, guardian_a, child_a):
    client = as_user(guardian_a)
    response = client.post(
        reverse("people:consent"), {"student": "x", "action": "delete"}, follow=True
    )

    assert response.status_code == 200
    assert has_consent(student_id=child_a.pk)
    assert list(response.context["messages"])


def test_staff_may_not_use_the_guardian_page(as_user, principal):
    assert as_user(principal).get(reverse("people:consent")).status_code == 403
