"""Signing in: username or phone, lockout after repeated failures, real and unknown alike."""

from __future__ import annotations

from django.urls import reverse

from lib.testing import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_chinese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page


def test_staff_signs_in_by_username(client, principal):
    response = _login(client, principal.user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_guardian_signs_in_by_phone_with_spaces(client, guardian_a):
    phone = guardian_a.phone
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    response = _login(client, spaced, PASSWORD)
    assert response.status_code == 302


def test_wrong_password_says_so_and_does_not_sign_in(client, principal):
    response = _login(client, principal.user.username, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures_even_with_the_right_password(client, principal):
    for _ in range(5):
        _login(client, principal.user.username, "wrong-password")
    response = _login(client, principal.user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_unknown_user_is_locked_out_the_same_way(principal):
    """The answers for a real and an unknown name are the same, so lockout reveals nothing."""
    from django.test import Client

    # Separate browsers, so the per-client (IP + browser) lock of the first run does not count.
    real_client, unknown_client = Client(HTTP_USER_AGENT="phone A"), Client(HTTP_USER_AGENT="phone B")
    real = [_login(real_client, principal.user.username, "wrong").status_code for _ in range(6)]
    unknown = [_login(unknown_client, "nobody-here", "wrong").status_code for _ in range(6)]
    assert real == unknown == [200, 200, 200, 200, 429, 429]


def test_lockout_of_one_name_does_not_lock_another(client, principal, finance):
    from django.test import Client

    for _ in range(5):
        _login(client, principal.user.username, "wrong-password")
    other_client = Client(HTTP_USER_AGENT="another phone")
    assert _login(other_client, finance.user.username, PASSWORD).status_code == 302
