"""How a student's personal data is shown to a given actor: masked unless the role may see it.

Pages, exports and the API all present students through ``present_student`` so the
masking rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.identity import mask_national_id, mask_phone
from people.actor import Actor
from people.models import Student
from people.roles import Capability


@dataclass(frozen=True)
class Visibility:
    """What an actor may see unmasked. National IDs are never unmasked in lists."""

    phones: bool
    priority_flags: bool
    national_id_on_request: bool

    @classmethod
    def for_actor(cls, actor: Actor) -> Visibility:
        return cls(
            phones=actor.may(Capability.VIEW_PHONE),
            priority_flags=actor.may(Capability.VIEW_PRIORITY_FLAGS),
            national_id_on_request=actor.may(Capability.VIEW_NATIONAL_ID),
        )


def shown_phone(phone: str, visibility: Visibility, *, own: bool = False) -> str:
    """Return the phone as ``visibility`` allows (a guardian always sees their own)."""
    return phone if (visibility.phones or own) else mask_phone(phone)


def shown_national_id(student: Student) -> str:
    """Return the ID masked: full numbers are shown only by the audited reveal action."""
    return mask_national_id(student.national_id)


def priority_labels(student: Student, visibility: Visibility, *, own: bool = False) -> list[str]:
    """Return the student's priority-group labels, or none when the actor may not see them."""
    if visibility.priority_flags or own:
        return student.priority_flag_labels()
    return []
