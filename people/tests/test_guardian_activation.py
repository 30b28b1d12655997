"""A guardian claims a login by knowing their child's student number and name."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditEvent
from lib import testing as make

NEW_PASSWORD = "Chun-tian-2026!"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _activate(client, guardian, child, *, name=None, password=NEW_PASSWORD):
    return client.post(
        reverse("activate"),
        {
            "phone": guardian.phone,
            "student_number": child.student_number,
            "child_name": name or child.name,
            "password": password,
            "password_again": password,
        },
    )


def test_guardian_activates_and_lands_on_home(client, child_a):
    guardian = make.make_guardian(child_a, name="张爸爸", login=False)
    response = _activate(client, guardian, child_a)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    guardian.refresh_from_db()
    assert guardian.user.phone == guardian.phone
    assert guardian.user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="guardian.account_activated").count() == 1
    assert child_a.name in client.get(reverse("home")).content.decode()


def test_wrong_child_name_is_refused_without_saying_which_part(client, child_a, child_b):
    guardian = make.make_guardian(child_a, login=False)
    response = _activate(client, guardian, child_a, name=child_b.name)
    assert response.status_code == 200
    assert "花名册" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user is None


def test_someone_elses_child_does_not_open_an_account(client, child_a, child_b):
    guardian = make.make_guardian(child_a, login=False)
    _activate(client, guardian, child_b)
    guardian.refresh_from_db()
    assert guardian.user is None


def test_common_password_is_refused(client, child_a):
    guardian = make.make_guardian(child_a, login=False)
    response = _activate(client, guardian, child_a, password="password123")
    assert response.status_code == 200
    guardian.refresh_from_db()
    assert guardian.user is None


def test_attempts_are_limited(client, child_a):
    guardian = make.make_guardian(child_a, login=False)
    for _ in range(5):
        _activate(client, guardian, child_a, name="错名字")
    response = _activate(client, guardian, child_a)  # right details, but too late
    assert "30" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user is None
