"""Applying through the API (/api/enrollment/): one submission per family, first-come places
decided at once, the same answer for a retried request, and each family sees only its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.services import issue_token
from enrollment.models import Application, ChildApplication, Choice, EnrollmentWindow
from enrollment.tests.conftest import open_club, published_term
from lib import testing as make
from notices.models import Notice

URL = "/api/enrollment/applications"


def _first_come(document):
    document["selection"]["method"] = "first_come"


@pytest.fixture
def term(school_a):
    """A first-come term whose applications are open right now (the API uses the clock)."""
    term = published_term(school_a, "p2", _first_come)
    now = timezone.now()
    EnrollmentWindow.objects.filter(term=term).update(
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1)
    )
    return term


@pytest.fixture
def club(term):
    return open_club(term, capacity=1, grades=[3, 5])


@pytest.fixture
def family(class_a, child_a):
    """张妈妈 with two children in school A: 张小明 (grade 3) and 张小华 (grade 5)."""
    sibling = make.make_student(make.make_class(class_a.school, grade=5, number=1), name="张小华")
    return make.make_guardian(child_a, sibling, name="张妈妈"), child_a, sibling


def _body(term, *children, key="key-0001", agreement=True):
    return {
        "term_id": term.pk,
        "idempotency_key": key,
        "agreement_accepted": agreement,
        "children": list(children),
    }


def _post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_it_creates_one_application_for_two_children(as_user, term, club, family):
    guardian, child, sibling = family
    body = _body(
        term,
        {"student_id": child.pk, "after_school": True, "choices": [club.pk]},
        {"student_id": sibling.pk, "meals": True},
    )
    response = _post(as_user(guardian), body)
    assert response.status_code == 201, response.content
    data = response.json()
    application = Application.objects.get()
    assert data["id"] == application.pk and data["term_id"] == term.pk
    assert data["plan_version"] == 1
    first, second = data["children"]
    assert (first["student_name"], second["student_name"]) == ("张小明", "张小华")
    assert first["receipt"] == ChildApplication.objects.get(student=child).receipt
    assert first["status"] == "submitted" and second["meals"] is True
    [choice] = first["choices"]
    assert choice["offering_id"] == club.pk and choice["status"] == "placed"
    assert choice["waitlist_position"] is None and choice["why"]
    assert second["choices"] == []
    assert Notice.objects.filter(guardian=guardian, kind="choice.placed").count() == 1


def test_a_full_club_answers_the_waiting_list_position_and_why(
    as_user, term, club, family, guardian_b, child_b
):
    guardian, child, _ = family
    _post(as_user(guardian), _body(term, {"student_id": child.pk, "choices": [club.pk]}))
    response = _post(as_user(guardian_b), _body(term, {"student_id": child_b.pk, "choices": [club.pk]}))
    assert response.status_code == 201
    [choice] = response.json()["children"][0]["choices"]
    assert choice["status"] == "waitlisted" and choice["waitlist_position"] == 1
    assert "1" in choice["why"]  # "All 1 places were taken…", in the request's language


def test_a_retried_request_gives_the_same_application(as_user, term, club, family):
    guardian, child, _ = family
    client = as_user(guardian)
    body = _body(term, {"student_id": child.pk, "choices": [club.pk]}, key="retry-abc-123")
    first = _post(client, body)
    again = _post(client, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Application.objects.count() == 1 and Choice.objects.count() == 1


def test_a_second_key_for_the_same_child_is_refused_with_the_reason(as_user, term, family):
    guardian, child, _ = family
    client = as_user(guardian)
    _post(client, _body(term, {"student_id": child.pk, "after_school": True}, key="first-key"))
    response = _post(client, _body(term, {"student_id": child.pk, "meals": True}, key="second-key"))
    assert response.status_code == 422
    assert len(response.json()["detail"]) == 1
    assert ChildApplication.objects.count() == 1


def test_it_refuses_invalid_input_with_every_reason_and_creates_nothing(
    as_user, term, family, school_a
):
    guardian, child, _ = family
    sixth = open_club(term, name="六年级书法", grades=[6])
    client = as_user(guardian)
    response = _post(
        client,
        _body(term, {"student_id": child.pk, "choices": [sixth.pk, sixth.pk]}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert len(problems) == 3  # chosen twice, and twice not for this grade
    assert all(isinstance(p, str) for p in problems)
    assert any("六年级书法" in p and "grade" in p for p in problems)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"idempotency_key": "short"},
        {"idempotency_key": "x" * 65},
        {"idempotency_key": "has spaces in it"},
        {"children": []},
        {"term_id": 0},
        {"agreement_accepted": None},
    ],
)
def test_malformed_requests_answer_422(as_user, term, family, change):
    guardian, child, _ = family
    body = _body(term, {"student_id": child.pk, "after_school": True}) | change
    response = _post(as_user(guardian), body)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Application.objects.exists()


def test_an_unaccepted_agreement_is_refused(as_user, term, family):
    guardian, child, _ = family
    body = _body(term, {"student_id": child.pk, "after_school": True}, agreement=False)
    response = _post(as_user(guardian), body)
    assert response.status_code == 422 and len(response.json()["detail"]) == 1


def test_another_familys_child_is_refused(as_user, term, family, child_b):
    guardian, _, _ = family
    response = _post(as_user(guardian), _body(term, {"student_id": child_b.pk, "meals": True}))
    assert response.status_code == 422
    assert not Application.objects.exists()


def test_staff_may_not_apply(as_user, term, principal, child_a):
    response = _post(as_user(principal), _body(term, {"student_id": child_a.pk, "meals": True}))
    assert response.status_code == 403
    assert response.json()["detail"] != "CSRF check failed."


def test_a_term_of_another_school_answers_404(as_user, family, school_b):
    guardian, child, _ = family
    other = published_term(school_b, "p2", _first_come)
    response = _post(as_user(guardian), _body(other, {"student_id": child.pk, "meals": True}))
    assert response.status_code == 404


def test_anonymous_callers_get_401(client, term, child_a):
    assert _post(client, _body(term, {"student_id": child_a.pk, "meals": True})).status_code == 401
    assert client.get(URL).status_code == 401


def test_a_session_needs_the_csrf_token_and_a_token_does_not(term, family):
    guardian, child, _ = family
    session = Client(enforce_csrf_checks=True)
    session.force_login(guardian.user, backend="people.auth.UsernameOrPhoneBackend")
    body = _body(term, {"student_id": child.pk, "meals": True})
    assert _post(session, body).status_code == 403
    secret = issue_token(user=guardian.user, name="phone")
    response = _post(Client(enforce_csrf_checks=True), body, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201


def test_a_guardian_sees_only_their_own_applications(
    as_user, term, club, family, guardian_b, child_b
):
    guardian, child, _ = family
    mine = _post(as_user(guardian), _body(term, {"student_id": child.pk, "meals": True})).json()
    theirs = _post(as_user(guardian_b), _body(term, {"student_id": child_b.pk, "meals": True}))
    theirs = theirs.json()
    client = as_user(guardian)
    listed = client.get(URL).json()
    assert listed["count"] == 1 and listed["items"] == [mine]
    assert client.get(f"{URL}/{mine['id']}").json() == mine
    assert client.get(f"{URL}/{theirs['id']}").status_code == 404
    assert client.get(f"{URL}/999999999").status_code == 404


def test_staff_see_no_applications_here(as_user, term, family, principal):
    guardian, child, _ = family
    created = _post(as_user(guardian), _body(term, {"student_id": child.pk, "meals": True})).json()
    client = as_user(principal)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{created['id']}").status_code == 404


def _family_of(class_a, children: int, n: int):
    kids = [make.make_student(class_a, name=f"孩子{n}-{i}") for i in range(children)]
    return make.make_guardian(*kids, name=f"家长{n}"), kids


def _queries(do) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = do()
    assert response.status_code in (200, 201), response.content
    return len(captured)


def test_list_queries_do_not_grow_with_children_or_choices(term, class_a, client):
    """Token with the actor's rows (1; its use was noted by the submission a moment ago),
    count, page, children with their choices: 4 for any family (was 6 when the actor was
    read in a query of its own; docs/performance.md, enroll_rush)."""
    clubs = [open_club(term, name=f"社团{i}", capacity=2) for i in range(3)]
    counts = []
    for n, size in enumerate((1, 3)):
        guardian, kids = _family_of(class_a, size, n)
        children = [{"student_id": k.pk, "choices": [c.pk for c in clubs]} for k in kids]
        secret = issue_token(user=guardian.user, name="phone")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        assert _post(client, _body(term, *children, key=f"family-{n}"), **auth).status_code == 201
        counts.append(_queries(lambda auth=auth: client.get(URL, **auth)))
    assert counts[0] == counts[1] <= 4



def test_submission_queries_do_not_grow_with_children_or_choices(term, class_a, client):
    """Token with the actor's rows, and touch (2), term, key, plan, window, children, clubs
    (6); application, children, club locks, places held, choices, notices, commit (7): 15 + 1
    savepoint here, for one child with one club or three children with three clubs each.
    The answer is built from the rows just written (was 18 with the actor's own query and
    the answer read back; docs/performance.md, enroll_rush)."""
    clubs = [open_club(term, name=f"社团{i}", capacity=2) for i in range(3)]
    counts = []
    for n, (size, wanted) in enumerate(((1, clubs[:1]), (3, clubs))):
        guardian, kids = _family_of(class_a, size, n)
        children = [{"student_id": k.pk, "choices": [c.pk for c in wanted]} for k in kids]
        auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user=guardian.user, name='phone')}"}
        body = _body(term, *children, key=f"family-{n}")
        counts.append(_queries(lambda body=body, auth=auth: _post(client, body, **auth)))
    assert counts[0] == counts[1] <= 16


def test_siblings_in_one_submission_queue_in_order_behind_the_last_place(as_user, term, class_a):
    """Places and waiting-list positions are counted once per submission, under the lock,
    then handed out child by child: one place, then positions 1 and 2, never an oversell."""
    club = open_club(term, capacity=1, grades=[3])
    guardian, kids = _family_of(class_a, 3, 0)
    children = [{"student_id": k.pk, "choices": [club.pk]} for k in kids]
    body = _post(as_user(guardian), _body(term, *children)).json()
    decided = [
        (c["choices"][0]["status"], c["choices"][0]["waitlist_position"]) for c in body["children"]
    ]
    assert decided == [("placed", None), ("waitlisted", 1), ("waitlisted", 2)]
    assert Choice.objects.filter(offering=club, status__in=Choice.HOLDS_PLACE).count() == 1
    assert Notice.objects.filter(guardian=guardian).count() == 4  # received + one per choice


def test_the_answer_built_from_memory_matches_the_application_read_back(as_user, term, class_a):
    """The 201 answer is built from the rows just written (enrollment.api.present_fresh);
    reading the application back gives the same document, placed and waitlisted alike."""
    clubs = [open_club(term, name=f"社团{i}", capacity=1, grades=[3]) for i in range(2)]
    guardian, kids = _family_of(class_a, 2, 0)
    children = [{"student_id": k.pk, "after_school": True, "choices": [c.pk for c in clubs]}
                for k in kids]
    client = as_user(guardian)
    created = _post(client, _body(term, *children))
    assert created.status_code == 201
    body = created.json()
    assert [[c["status"] for c in child["choices"]] for child in body["children"]] == [
        ["placed", "placed"], ["waitlisted", "waitlisted"]
    ]
    assert client.get(f"{URL}/{body['id']}").json() == body
