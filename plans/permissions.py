"""Who may do what with a school's plan, in the style of :mod:`people.roles`.

Only plan capabilities are named here; roles themselves come from ``people.roles``.
"""

from __future__ import annotations

from enum import StrEnum

from people.actor import Actor
from people.roles import SCHOOL_LEADERS, Role


class PlanCapability(StrEnum):
    VIEW_PLANS = "view_plans"  # drafts and history of the own school
    EDIT_PLAN = "edit_plan"  # draft from a preset, edit, new draft, record approval
    PUBLISH_PLAN = "publish_plan"


# The principal's office writes the plan (DESIGN.md §1: principal / 教导处).
PLAN_CAPABILITIES: dict[PlanCapability, frozenset[str]] = {
    PlanCapability.VIEW_PLANS: frozenset(
        SCHOOL_LEADERS | {Role.TEACHER, Role.HEAD_TEACHER, Role.DUTY_LEADER, Role.FINANCE}
    ),
    PlanCapability.EDIT_PLAN: SCHOOL_LEADERS,
    PlanCapability.PUBLISH_PLAN: SCHOOL_LEADERS,
}


def may(actor: Actor, capability: PlanCapability) -> bool:
    """Return whether ``actor`` is school staff holding a role that grants ``capability``."""
    return actor.is_staff_member and bool(actor.roles & PLAN_CAPABILITIES[capability])
