"""Sessions end when the password changes or the account is disabled (issue 11 §4)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from lib.testing import PASSWORD
from people.sessions import session_keys_of

NEW_PASSWORD = "Lantern-river-2027"  # noqa: S105 (test value)


def _signed_in(username: str, password: str = PASSWORD, agent: str = "phone") -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


def _is_signed_in(client: Client) -> bool:
    """A page that needs a login answers 200 when signed in, a redirect to the login otherwise."""
    response = client.get(reverse("password_change"))
    return response.status_code == 200


def _change_password(client: Client, old: str, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_changing_the_password_signs_out_the_other_device_and_keeps_this_one(guardian_a):
    phone, other = (
        _signed_in(guardian_a.phone, agent="phone"),
        _signed_in(guardian_a.phone, agent="tablet"),
    )
    assert len(session_keys_of(guardian_a.user_id)) == 2

    response = _change_password(phone, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302
    assert _is_signed_in(phone)
    assert not _is_signed_in(other)
    assert len(session_keys_of(guardian_a.user_id)) == 1
    assert _signed_in(guardian_a.phone, NEW_PASSWORD, agent="laptop")


def test_a_wrong_old_password_changes_nothing_and_ends_no_session(principal):
    phone, other = (
        _signed_in(principal.user.username, agent="a"),
        _signed_in(principal.user.username, agent="b"),
    )

    response = _change_password(phone, "not-my-password", NEW_PASSWORD)

    assert response.status_code == 200
    assert _is_signed_in(phone) and _is_signed_in(other)
    principal.user.refresh_from_db()
    assert principal.user.check_password(PASSWORD)


def test_a_common_new_password_is_refused(principal):
    phone = _signed_in(principal.user.username)

    response = _change_password(phone, PASSWORD, "password123")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    principal.user.refresh_from_db()
    assert principal.user.check_password(PASSWORD)


def test_a_password_set_anywhere_else_ends_every_session(principal):
    """The admin's set-password form, a command or a service: all go through User.save()."""
    a, b = (
        _signed_in(principal.user.username, agent="a"),
        _signed_in(principal.user.username, agent="b"),
    )
    user = principal.user

    user.set_password(NEW_PASSWORD)
    user.save()

    assert not _is_signed_in(a) and not _is_signed_in(b)
    assert session_keys_of(user.pk) == []
    event = AuditEvent.objects.filter(
        action="account.sessions_ended", subject_id=str(user.pk)
    ).first()
    assert event.new_values == {"reason": "password_changed", "sessions": 2}


def test_the_admin_set_password_form_ends_the_users_sessions(principal, db):
    from people.models import User

    root = User.objects.create_superuser("root", password="Root-kehou-2027!")
    admin = Client()
    admin.force_login(root)
    device = _signed_in(principal.user.username)

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[principal.user_id]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not _is_signed_in(device)
    assert admin.get(reverse("admin:index")).status_code == 200


def test_disabling_an_account_ends_all_its_sessions(guardian_a, principal):
    a, b = _signed_in(guardian_a.phone, agent="a"), _signed_in(guardian_a.phone, agent="b")
    bystander = _signed_in(principal.user.username, agent="c")
    user = guardian_a.user

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert session_keys_of(user.pk) == []
    assert not _is_signed_in(a) and not _is_signed_in(b)
    assert _is_signed_in(bystander)
    assert Session.objects.count() == 1


def test_a_staff_member_marked_inactive_is_signed_out(teacher):
    device = _signed_in(teacher.user.username)

    teacher.is_active = False
    teacher.save()

    assert not _is_signed_in(device)
    assert (
        AuditEvent.objects.filter(
            action="account.sessions_ended", new_values__reason="staff_inactive"
        ).count()
        == 1
    )


def test_signing_in_again_does_not_end_other_sessions(principal):
    """last_login is saved on every sign-in; only a new password or a disabled account counts."""
    a = _signed_in(principal.user.username, agent="a")
    _signed_in(principal.user.username, agent="b")

    assert _is_signed_in(a)
    assert len(session_keys_of(principal.user_id)) == 2


def test_the_password_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
