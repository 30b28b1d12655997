"""Issue, use and revoke API tokens. Callers pass plain arguments; nothing here knows HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from audit.services import record_event

# Every secret starts with this marker so a leaked one is easy to recognise in logs and scans.
SECRET_MARKER = "kh_"  # noqa: S105 (a public marker, not a secret)
PREFIX_LENGTH = len(SECRET_MARKER) + 6
# Recording each use would turn every read into a write; once a minute is enough to audit.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """Return the hex SHA-256 of ``secret``: what the database keeps instead of the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, user: Any, name: str, acting_user: Any | None = None) -> str:
    """Create a token for ``user`` and return its secret (the only time it is available)."""
    secret = SECRET_MARKER + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_secret(secret), prefix=secret[:PREFIX_LENGTH]
        )
        record_event(
            action="api_token.issue",
            subject=token,
            actor=acting_user,
            new={"user": user.pk, "name": name, "prefix": token.prefix},
        )
    return secret


def revoke_token(*, token: ApiToken, acting_user: Any | None = None) -> ApiToken:
    """Revoke ``token`` (idempotent): it stops working at once and is kept for the record."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            action="api_token.revoke",
            subject=token,
            actor=acting_user,
            new={"user": token.user_id, "prefix": token.prefix},
        )
    return token


def user_for_secret(*, secret: str) -> Any | None:
    """Return the active user a live token belongs to, or None; note when it was last used."""
    if not secret.startswith(SECRET_MARKER):
        return None
    # The user's staff, guardian and district rows come in the same query: the caller builds
    # the Actor from them without asking again (people.actor.actor_of_loaded).
    token = (
        ApiToken.objects.select_related("user__staff", "user__guardian", "user__district_officer")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
