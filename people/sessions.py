"""End a user's sessions when their password changes or their account is disabled.

Django already refuses a session whose stored password hash no longer matches, but only
when that session is next used, and not at all for ``is_active`` on every backend. Kehou
deletes the sessions from the store instead, so a stolen phone or a leaver's browser is
signed out at once and nothing stale stays behind. Sessions live in the database
(Django's default engine); only unexpired ones are read, and with a 30-minute idle limit
there are few of them.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def session_keys_of(user_id: int) -> list[str]:
    """Return the keys of ``user_id``'s unexpired sessions."""
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user_id):
            keys.append(session.session_key)
    return keys


def end_sessions(*, user_id: int, keep: str | None = None) -> int:
    """Delete every session of ``user_id`` except ``keep``; return how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for key in session_keys_of(user_id):
        if key != keep:
            store(session_key=key).delete()
            ended += 1
    return ended
