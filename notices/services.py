"""Write notices and deliver them through pluggable senders.

A notice is written in the same transaction as the change it reports, so a rolled-back
change leaves no notice. Delivery happens afterwards (``manage.py deliver_notices`` or right
after the request); the Kehou inbox needs no delivery. SMS and WeChat senders are adapters
named in ``settings.KEHOU_NOTICE_SENDERS``; tests use :class:`RecordingSender`.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from notices.models import Notice


class Sender(Protocol):
    def send(self, notice: Notice) -> None:
        """Deliver ``notice`` or raise; a failure is recorded and retried later."""


class InboxSender:
    """The guardian's inbox in Kehou: the notice row is the message, nothing to send."""

    def send(self, notice: Notice) -> None:
        return None


class RecordingSender:
    """Test double: remembers what it was asked to send."""

    sent: list[Notice] = []

    def send(self, notice: Notice) -> None:
        type(self).sent.append(notice)


def notify(*, guardian_id: int, school_id: int, kind: str, subject: str, body: str) -> Notice:
    """Queue one notice for a guardian (call inside the transaction of the change)."""
    return Notice.objects.create(
        guardian_id=guardian_id, school_id=school_id, kind=kind, subject=subject, body=body
    )


def configured_senders() -> list[Sender]:
    return [import_string(path)() for path in settings.KEHOU_NOTICE_SENDERS]


def deliver_pending(*, senders: list[Sender] | None = None, limit: int = 1000) -> int:
    """Send unsent notices through every sender; return how many were marked sent."""
    senders = configured_senders() if senders is None else senders
    sent = 0
    pending = list(Notice.objects.filter(sent_at__isnull=True, attempts__lt=5).order_by("id")[:limit])
    for notice in pending:
        try:
            for sender in senders:
                sender.send(notice)
        except Exception as exc:  # noqa: BLE001 — a sender's failure must not stop the others
            Notice.objects.filter(pk=notice.pk).update(
                attempts=notice.attempts + 1, last_error=str(exc)[:300]
            )
            continue
        with transaction.atomic():
            Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now(), attempts=notice.attempts + 1)
        sent += 1
    return sent


def mark_read(*, notice: Notice) -> None:
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
