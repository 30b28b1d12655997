"""What the term's plan allows: grade rules for offerings and the 5+2 check of a class's week.

Pure functions over a :class:`plans.policy.PlanDocument`; nothing from a seed plan is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from plans.policy import PlanDocument
from programs.models import Offering
from schools.models import Grade

# Offering kinds as the plan's content-by-grade names them (plans.policy.GradeActivity.kind).
_PLAN_ACTIVITY = {
    Offering.Kind.SUPERVISED_HOMEWORK: "supervised_homework",
    Offering.Kind.HOMEWORK_HELP: "homework_help",
    Offering.Kind.INTEREST_GROUP: "interest_group",
    Offering.Kind.READING_ROOM: "reading",
    Offering.Kind.SPORT: "sports_arts",
}


def allowed_kinds(doc: PlanDocument, grade: int) -> set[str]:
    """Return the offering kinds the plan allows for ``grade``.

    A plan that says nothing about content by grade allows every kind. School clubs are
    allowed when the plan lists any; noon care when it has a noon-care window for the grade.
    """
    if not doc.content.by_grade:
        kinds = set(Offering.Kind.values)
    else:
        named = {a.kind for a in doc.content.by_grade if grade in a.grades}
        kinds = {k for k, plan_kind in _PLAN_ACTIVITY.items() if plan_kind in named}
        if doc.content.school_clubs:
            kinds.add(Offering.Kind.CLUB)
    if any(grade in w.grades for w in doc.windows_of("noon_care")):
        kinds.add(Offering.Kind.NOON_CARE)
    else:
        kinds.discard(Offering.Kind.NOON_CARE)
    return {str(k) for k in kinds}


def grade_rule_problems(doc: PlanDocument, *, kind: str, grades: Iterable[int]) -> list[str]:
    """Return one message per grade the plan does not allow ``kind`` for (plan 3 grade rules)."""
    problems = []
    for grade in sorted(set(grades)):
        allowed = allowed_kinds(doc, grade)
        if kind not in allowed:
            names = "、".join(str(Offering.Kind(k).label) for k in sorted(allowed)) or _("nothing")
            problems.append(
                _("The term's plan does not offer “%(kind)s” to %(grade)s; it offers: %(allowed)s.")
                % {"kind": Offering.Kind(kind).label, "grade": Grade(grade).label, "allowed": names}
            )
    return problems


@dataclass(frozen=True)
class WeekCheck:
    """How one class's week measures against 5+2 (≥ 5 days a week, ≥ 2 hours a day)."""

    minutes_by_weekday: dict[int, int]
    min_days: int
    min_minutes_per_day: int

    @property
    def full_days(self) -> list[int]:
        return sorted(d for d, m in self.minutes_by_weekday.items() if m >= self.min_minutes_per_day)

    @property
    def short_days(self) -> dict[int, int]:
        """Return {weekday: minutes missing} for the weekdays below the daily minimum."""
        return {
            d: self.min_minutes_per_day - self.minutes_by_weekday.get(d, 0)
            for d in range(5)
            if self.minutes_by_weekday.get(d, 0) < self.min_minutes_per_day
        }

    @property
    def meets(self) -> bool:
        return len(self.full_days) >= self.min_days


def merged_minutes(intervals: Iterable[tuple[int, int]]) -> int:
    """Return the minutes covered by ``intervals`` (start, end in minutes), overlaps once."""
    total, current_start, current_end = 0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total


def week_check(
    intervals_by_weekday: dict[int, list[tuple[int, int]]], *, min_days: int = 5, min_hours: int = 2
) -> WeekCheck:
    """Measure a class's week; the national 5+2 rule is the default (POLICY.md)."""
    return WeekCheck(
        minutes_by_weekday={d: merged_minutes(iv) for d, iv in intervals_by_weekday.items()},
        min_days=min_days,
        min_minutes_per_day=min_hours * 60,
    )
