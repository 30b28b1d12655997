"""Write audit rows. Every caller passes the acting user; nothing here knows about HTTP."""

from __future__ import annotations

from typing import Any

from django.db import models

from audit.models import AuditEvent


def record_event(
    *,
    action: str,
    subject: models.Model,
    actor: Any | None,
    school_id: int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit row for ``action`` on ``subject`` (in the caller's transaction)."""
    return AuditEvent.objects.create(
        school_id=school_id if school_id is not None else getattr(subject, "school_id", None),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        old_values=old or {},
        new_values=new or {},
        ip_address=ip_address,
    )
