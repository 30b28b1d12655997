"""Who may call the API: a signed-in session or a live token; nobody else."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from ninja.errors import HttpError

from api.auth import SessionAuth
from api.models import ApiToken
from api.services import hash_secret, issue_token, revoke_token
from audit.models import AuditEvent


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_answers_401_to_anonymous_callers(client, child_a):
    for url in [
        "/api/students",
        f"/api/students/{child_a.pk}",
        "/api/guardians",
        "/api/classes",
        "/api/terms",
    ]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "detail" in response.json()
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_accepts_a_token(principal, child_a):
    secret = issue_token(user=principal.user, name="timetable sync")
    response = Client().get("/api/students", **bearer(secret))
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["items"]] == [child_a.pk]


def test_it_records_when_a_token_was_last_used(principal):
    secret = issue_token(user=principal.user, name="sync")
    assert ApiToken.objects.get().last_used_at is None
    Client().get("/api/terms", **bearer(secret))
    assert ApiToken.objects.get().last_used_at is not None


def test_it_refuses_a_revoked_token(principal):
    secret = issue_token(user=principal.user, name="sync")
    revoke_token(token=ApiToken.objects.get(), acting_user=principal.user)
    assert Client().get("/api/students", **bearer(secret)).status_code == 401


def test_it_refuses_an_unknown_token_even_with_a_session(as_user, principal):
    """A bad token is an error the caller must see, not silently replaced by the session."""
    response = as_user(principal).get("/api/students", **bearer("kh_not-a-real-token"))
    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(principal):
    secret = issue_token(user=principal.user, name="sync")
    principal.user.is_active = False
    principal.user.save(update_fields=["is_active"])
    assert Client().get("/api/students", **bearer(secret)).status_code == 401


def test_it_accepts_a_signed_in_session(as_user, teacher, child_a):
    response = as_user(teacher).get("/api/students")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_auth_refuses_an_unsafe_method_without_the_csrf_token(principal, rf):
    """No endpoint writes yet, so call the session check directly, as a POST would."""
    request = rf.post("/api/students")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    request.user = principal.user
    with pytest.raises(HttpError) as refused:
        SessionAuth()(request)
    assert refused.value.status_code == 403


def test_session_auth_passes_a_safe_method(principal, rf):
    request = rf.get("/api/students")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    request.user = principal.user
    assert SessionAuth()(request) == principal.user


def test_it_stores_only_the_hash_of_the_secret(principal):
    secret = issue_token(user=principal.user, name="sync")
    token = ApiToken.objects.get()
    assert token.key_hash == hash_secret(secret)
    assert secret not in {token.key_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)
    assert len(token.prefix) < 12


def test_issuing_and_revoking_are_audited(principal):
    issue_token(user=principal.user, name="sync", acting_user=principal.user)
    revoke_token(token=ApiToken.objects.get(), acting_user=principal.user)
    revoke_token(token=ApiToken.objects.get(), acting_user=principal.user)  # idempotent
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["api_token.issue", "api_token.revoke"]


def test_the_command_prints_the_secret_once(principal):
    out = io.StringIO()
    call_command(
        "create_api_token",
        principal.user.username,
        name="reports",
        stdout=out,
        stderr=io.StringIO(),
    )
    secret = out.getvalue().strip()
    assert ApiToken.objects.get().key_hash == hash_secret(secret)
    assert Client().get("/api/terms", **bearer(secret)).status_code == 200


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", name="x", stdout=io.StringIO())
