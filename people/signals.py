"""Password changes and disabled accounts end the user's other sessions (issue 11 §4).

A signal on ``User`` and ``Staff`` catches every path at once: the password change page,
the admin's set-password form, guardian re-activation, ``createsuperuser``/``changepassword``
and any later service that calls ``set_password()`` or clears ``is_active``. The page that
changes the user's own password keeps its session through ``update_session_auth_hash``,
which moves the session to a new key after the old ones are gone.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from audit.services import record_event
from people.models import Staff, User
from people.sessions import end_sessions

_WATCHED = {"password", "is_active"}


def _touches(update_fields) -> bool:
    return update_fields is None or bool(_WATCHED & set(update_fields))


@receiver(pre_save, sender=User)
def remember_credentials(sender, instance: User, update_fields=None, raw=False, **kwargs):
    instance._kehou_before = None
    if raw or instance.pk is None or not _touches(update_fields):
        return
    instance._kehou_before = (
        User.objects.filter(pk=instance.pk).values_list("password", "is_active").first()
    )


@receiver(post_save, sender=User)
def end_sessions_on_credential_change(sender, instance: User, created=False, raw=False, **kwargs):
    before = getattr(instance, "_kehou_before", None)
    instance._kehou_before = None
    if raw or created or before is None:
        return
    old_password, was_active = before
    if old_password != instance.password:
        reason = "password_changed"
    elif was_active and not instance.is_active:
        reason = "account_disabled"
    else:
        return
    ended = end_sessions(user_id=instance.pk)
    if not ended:
        return
    record_event(
        action="account.sessions_ended",
        subject=instance,
        actor=None,
        new={"reason": reason, "sessions": ended},
    )


@receiver(pre_save, sender=Staff)
def remember_staff_active(sender, instance: Staff, update_fields=None, raw=False, **kwargs):
    instance._kehou_was_active = None
    if raw or instance.pk is None or instance.user_id is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._kehou_was_active = (
        Staff.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, sender=Staff)
def end_sessions_when_staff_leaves(sender, instance: Staff, raw=False, **kwargs):
    """A staff member marked inactive (left the school) is signed out everywhere."""
    was_active = getattr(instance, "_kehou_was_active", None)
    instance._kehou_was_active = None
    if raw or not was_active or instance.is_active or instance.user_id is None:
        return
    ended = end_sessions(user_id=instance.user_id)
    if not ended:
        return
    record_event(
        action="account.sessions_ended",
        subject=instance,
        actor=None,
        new={"reason": "staff_inactive", "sessions": ended},
    )
