"""Withdrawn guardian consent stops enrollment processing (docs/security.md, "Guardian consent").

The child's applications for terms that have not ended are withdrawn through the same
action a guardian uses, so their places go to the waiting list in order. Past terms keep
their records: attendance and the ledger are the school's accounts and are not erased.
"""

from __future__ import annotations

import datetime as dt

from django.dispatch import receiver
from django.utils import timezone

from enrollment.models import ChildApplication
from enrollment.services import withdraw
from people.consent import consent_withdrawn
from people.models import Consent


def withdraw_open_applications(*, student_id: int, now: dt.datetime) -> int:
    """Withdraw the child's applications for current and future terms; return how many."""
    children = (
        ChildApplication.objects.filter(
            student_id=student_id, term__end__gte=timezone.localdate(now)
        )
        .exclude(status=ChildApplication.Status.WITHDRAWN)
        .select_related("application__guardian")
        .order_by("pk")
    )
    count = 0
    for child in children:
        withdraw(child=child, guardian=child.application.guardian, now=now)
        count += 1
    return count


@receiver(consent_withdrawn, sender=Consent)
def stop_enrollment(sender, *, student_id: int, purpose: str, now: dt.datetime, **kwargs) -> None:
    if purpose == Consent.Purpose.SERVICE:
        withdraw_open_applications(student_id=student_id, now=now)
