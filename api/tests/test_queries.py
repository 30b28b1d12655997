"""API cost does not grow with the roster (DESIGN.md §4): query counts are pinned."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib import testing as make


def _add_students(school_class, count: int) -> None:
    for n in range(count):
        child = make.make_student(school_class, name=f"学生{n}", is_migrant_child=n % 2 == 0)
        make.make_guardian(child, name=f"家长{n}", login=False)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize("url", ["/api/students", "/api/guardians", "/api/classes"])
def test_list_queries_do_not_grow_with_the_roster(as_user, principal, school_a, class_a, url):
    client = as_user(principal)
    _add_students(class_a, 5)
    small = _queries(client, url + "?page_size=200")
    _add_students(class_a, 45)
    make.make_class(school_a, grade=4)
    large = _queries(client, url + "?page_size=200")
    assert large == small


def test_student_list_stays_within_its_budget(
    as_user, principal, class_a, django_assert_max_num_queries
):
    """Session and user (2), actor (2), count, page, the page's guardians (3), and saving the
    session (SESSION_SAVE_EVERY_REQUEST: update in a savepoint, 3)."""
    _add_students(class_a, 50)
    client = as_user(principal)
    with django_assert_max_num_queries(10):
        assert client.get("/api/students?page_size=50").status_code == 200


def test_token_requests_stay_within_the_same_budget(
    principal, class_a, client, django_assert_max_num_queries
):
    """Token (1), touch (1, at most once a minute), actor (2), count, page, guardians (3)."""
    from api.services import issue_token

    _add_students(class_a, 50)
    secret = issue_token(user=principal.user, name="sync")
    with django_assert_max_num_queries(8):
        response = client.get("/api/students", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
