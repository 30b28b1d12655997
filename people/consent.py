"""Guardian consent (监护人同意): give, withdraw, and ask whether a child's data may be used.

What "beyond the roster" means in Kehou (docs/security.md): the roster the school keeps
anyway needs no consent; applying a child for the after-school service, and therefore the
attendance, hand-over and fee records the service produces, needs the ``service`` consent
of one of the child's guardians first. Withdrawing it stops the processing: no new or
re-sent application is accepted, and ``consent_withdrawn`` tells the apps that hold the
child's open work to end it (enrollment withdraws the child's open applications).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.utils import timezone

from audit.services import record_event
from people.models import Consent, Guardian, Student, StudentGuardian

# Bump when the wording on the consent page changes; each row keeps the version it was given on.
CONSENT_TEXT_VERSION = "2026-1"

# Sent inside the withdrawal's transaction (all or nothing), with ``student_id``, ``purpose``
# and ``now``.
consent_withdrawn = Signal()


class ConsentError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def standing(purpose: str = Consent.Purpose.SERVICE, student_ref: str = "pk") -> Exists:
    """Return an ``Exists`` that is true when the row's student has a standing consent."""
    return Exists(
        Consent.objects.filter(
            student_id=OuterRef(student_ref), purpose=purpose, withdrawn_at__isnull=True
        )
    )


def has_consent(*, student_id: int, purpose: str = Consent.Purpose.SERVICE) -> bool:
    return Consent.objects.filter(
        student_id=student_id, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def _link(guardian: Guardian, student_id: int) -> StudentGuardian:
    link = (
        StudentGuardian.objects.select_related("student")
        .filter(guardian=guardian, student_id=student_id)
        .first()
    )
    if link is None:
        raise Student.DoesNotExist
    return link


@transaction.atomic
def give_consent(
    *,
    guardian: Guardian,
    student_id: int,
    purpose: str = Consent.Purpose.SERVICE,
    now: dt.datetime | None = None,
) -> Consent:
    """Record ``guardian``'s consent for their child; giving it twice changes nothing."""
    link = _link(guardian, student_id)
    existing = (
        Consent.objects.select_for_update()
        .filter(student_id=student_id, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if existing is not None:
        return existing
    consent = Consent.objects.create(
        student_id=student_id,
        school_id=link.school_id,
        guardian=guardian,
        purpose=purpose,
        text_version=CONSENT_TEXT_VERSION,
        given_at=now or timezone.now(),
    )
    record_event(
        action="consent.given",
        subject=link.student,
        actor=guardian.user,
        new={"purpose": purpose, "text_version": CONSENT_TEXT_VERSION},
    )
    return consent


def withdraw_consent(
    *,
    guardian: Guardian,
    student_id: int,
    purpose: str = Consent.Purpose.SERVICE,
    now: dt.datetime | None = None,
) -> bool:
    """Withdraw the child's standing consent (any of their guardians may) and stop processing.

    Return False when there was none to withdraw.
    """
    now = now or timezone.now()
    with transaction.atomic():
        link = _link(guardian, student_id)
        ended = Consent.objects.filter(
            student_id=student_id, purpose=purpose, withdrawn_at__isnull=True
        ).update(withdrawn_at=now, withdrawn_by=guardian)
        if not ended:
            return False
        record_event(
            action="consent.withdrawn",
            subject=link.student,
            actor=guardian.user,
            old={"purpose": purpose},
        )
        consent_withdrawn.send(sender=Consent, student_id=student_id, purpose=purpose, now=now)
    return True


def consents_of_guardian(guardian_id: int) -> list[dict]:
    """Return one row per child of the guardian with the standing consent (or None)."""
    links = (
        StudentGuardian.objects.filter(guardian_id=guardian_id, student__is_active=True)
        .select_related("student__school_class", "school")
        .order_by("student__pinyin")
    )
    students = [link.student for link in links]
    standing_rows = {
        c.student_id: c
        for c in Consent.objects.filter(
            student__in=students, purpose=Consent.Purpose.SERVICE, withdrawn_at__isnull=True
        ).select_related("guardian")
    }
    return [
        {
            "student": link.student,
            "school": link.school,
            "consent": standing_rows.get(link.student_id),
        }
        for link in links
    ]


def give_consent_in_bulk(
    *, links: list[StudentGuardian], purpose: str = Consent.Purpose.SERVICE, now: dt.datetime
) -> int:
    """Record consent for many children at once (demo data and tests); skip those who have it."""
    have = set(
        Consent.objects.filter(
            student_id__in=[link.student_id for link in links],
            purpose=purpose,
            withdrawn_at__isnull=True,
        ).values_list("student_id", flat=True)
    )
    rows, seen = [], set()
    for link in links:
        if link.student_id in have or link.student_id in seen:
            continue
        seen.add(link.student_id)
        rows.append(
            Consent(
                student_id=link.student_id,
                school_id=link.school_id,
                guardian_id=link.guardian_id,
                purpose=purpose,
                text_version=CONSENT_TEXT_VERSION,
                given_at=now,
            )
        )
    Consent.objects.bulk_create(rows)
    return len(rows)
