"""How the API knows who is asking: a bearer token, or the browser's signed-in session.

Both hand the endpoint a ``User`` in ``request.auth``; ``actor(request)`` turns it into the
same ``Actor`` the pages use, so the scoping selectors answer the API exactly as the pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from api.services import user_for_secret
from people.actor import Actor, actor_for, actor_of_loaded


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kh_…``. A token that is unknown or revoked is refused outright."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = user_for_secret(secret=token.strip())
        if user is None:
            # Do not fall through to the session: a bad token is an error the caller must see.
            raise AuthenticationError()
        request._api_actor = actor_of_loaded(user)  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods must also carry the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is nothing to forge, so skip the CSRF check and let
        # the caller get a plain 401 rather than a confusing 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if key and user is not None and user.is_authenticated:
            return user
        return None


# The token is tried first, so a script with a token never trips over a stale session.
API_AUTH = [TokenAuth(), SessionAuth()]


def actor(request: HttpRequest) -> Actor:
    """Return the Actor for the authenticated user of ``request`` (worked out once)."""
    cached = getattr(request, "_api_actor", None)
    if cached is None:
        cached = actor_for(getattr(request, "auth", None))
        request._api_actor = cached  # type: ignore[attr-defined]
    return cached
