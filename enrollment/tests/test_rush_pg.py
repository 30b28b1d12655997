"""The opening-minute rush on PostgreSQL: many guardians at once, double clicks included.

Places are counted after locking the offering's row, so no offering ever exceeds its
capacity, and the idempotency key turns a retried request into the same application.

Control (run by hand on 2026-12-01): with the row lock removed from
``enrollment.allocation._lock_offerings``, the same test placed 12 and then 15 children in
the 5 places; with the lock, exactly 5, every run.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from enrollment.models import Application, ChildApplication, Choice
from enrollment.services import ChildRequest, EnrollmentError, submit_application
from enrollment.tests.conftest import OPEN_NOW, open_club
from lib import testing as make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FAMILIES = 40
CAPACITY = 5


def test_rush_never_oversells_and_never_duplicates(first_come_term, class_a):
    club = open_club(first_come_term, capacity=CAPACITY, grades=[3])
    families = []
    for i in range(FAMILIES):
        child = make.make_student(class_a, name=f"抢位{i}")
        families.append((make.make_guardian(child, name=f"家长{i}"), child))
    go = threading.Event()

    def apply(job):
        guardian, child = job
        try:
            go.wait(timeout=30)  # all threads start together at the opening time
            # Every family double-clicks: two requests with the same key.
            results = [
                submit_application(
                    guardian=guardian, term=first_come_term,
                    children=[ChildRequest(student_id=child.pk, choices=[club.pk])],
                    idempotency_key=f"rush-{guardian.pk}", agreement_accepted=True, now=OPEN_NOW,
                ).pk
                for _ in range(2)
            ]
            return results
        except EnrollmentError as exc:
            return exc
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(apply, job) for job in families + families[:10]]  # 10 retry later
        go.set()
        outcomes = [f.result() for f in futures]

    assert not [o for o in outcomes if isinstance(o, Exception)]
    for first, second in (o for o in outcomes):
        assert first == second
    assert Application.objects.count() == FAMILIES
    assert ChildApplication.objects.count() == FAMILIES
    placed = Choice.objects.filter(offering=club, status__in=Choice.HOLDS_PLACE).count()
    waiting = Choice.objects.filter(offering=club, status=Choice.Status.WAITLISTED).count()
    assert placed == CAPACITY
    assert placed + waiting == FAMILIES
    positions = list(Choice.objects.filter(status="waitlisted").values_list("waitlist_position", flat=True))
    assert sorted(positions) == list(range(1, FAMILIES - CAPACITY + 1))
