"""Guardian accounts: a guardian claims their login by proving they know their child.

There is no SMS gateway here, so a guardian activates with the phone number the school has
on the roster, the child's student number and the child's name, and chooses a password.
Failures are counted per phone and per client and answered with one generic message, so
the form cannot be used to find out which phones or children exist.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from lib.identity import normalise_phone
from people.models import Guardian, StudentGuardian, User

MAX_FAILURES = 5
WINDOW_SECONDS = 30 * 60


class ActivationRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _too_many(keys: list[str]) -> bool:
    return any((cache.get(k) or 0) >= MAX_FAILURES for k in keys)


def _count_failure(keys: list[str]) -> None:
    for key in keys:
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW_SECONDS)


@transaction.atomic
def activate_guardian_account(
    *, phone: str, student_number: str, child_name: str, password: str, client_key: str
) -> User:
    """Create (or reset) the guardian's login when phone, student number and name agree."""
    phone = normalise_phone(phone)
    keys = [f"activate:phone:{phone}", f"activate:client:{client_key}"]
    if _too_many(keys):
        raise ActivationRefused(_("Too many attempts. Try again in 30 minutes."))
    link = (
        StudentGuardian.objects.select_related("guardian", "student")
        .filter(
            guardian__phone=phone,
            student__student_number=student_number.strip(),
            student__name=child_name.strip(),
            student__is_active=True,
        )
        .first()
    )
    if link is None:
        _count_failure(keys)
        raise ActivationRefused(
            _(
                "These details do not match the school roster. Check the phone number the "
                "school has for you, and your child's student number and name."
            )
        )
    guardian: Guardian = link.guardian
    user = guardian.user or User(username=phone, phone=phone, first_name=guardian.name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActivationRefused(" ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    if guardian.user_id != user.pk:
        guardian.user = user
        guardian.save(update_fields=["user"])
    record_event(
        action="guardian.account_activated",
        subject=guardian,
        actor=user,
        school_id=link.school_id,
    )
    return user
