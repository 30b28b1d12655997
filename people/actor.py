"""Who is asking: the user with their school, roles and family ties, worked out once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from people.roles import CAPABILITIES, Capability, Role


@dataclass(frozen=True)
class Actor:
    user: Any
    school_id: int | None = None
    staff_id: int | None = None
    guardian_id: int | None = None
    district_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_staff_member(self) -> bool:
        return self.staff_id is not None

    @property
    def is_guardian(self) -> bool:
        return self.guardian_id is not None

    @property
    def is_district(self) -> bool:
        return self.district_id is not None

    def may(self, capability: Capability) -> bool:
        """Return whether one of the actor's roles grants ``capability``."""
        return bool(self.roles & CAPABILITIES[capability])

    def has_role(self, *roles: Role | str) -> bool:
        return bool(self.roles & set(roles))


ANONYMOUS = Actor(user=None)


def actor_for(user: Any) -> Actor:
    """Return the Actor for ``user`` (at most two queries)."""
    if user is None or not user.is_authenticated:
        return Actor(user=user)
    from people.models import User

    user = (
        User.objects.select_related("staff", "guardian", "district_officer")
        .prefetch_related("staff__roles")
        .get(pk=user.pk)
    )
    return actor_of_loaded(user)


def actor_of_loaded(user: Any) -> Actor:
    """Return the Actor for ``user`` loaded with ``staff``, ``guardian`` and
    ``district_officer`` (``select_related``); a staff member's roles cost one query unless
    prefetched. The API's token check loads them in its own query (api/services.py)."""
    staff = getattr(user, "staff", None)
    if staff is not None and not staff.is_active:
        staff = None
    guardian = getattr(user, "guardian", None)
    officer = getattr(user, "district_officer", None)
    return Actor(
        user=user,
        school_id=staff.school_id if staff else None,
        staff_id=staff.pk if staff else None,
        guardian_id=guardian.pk if guardian else None,
        district_id=officer.district_id if officer else None,
        roles=staff.role_set if staff else frozenset(),
    )
