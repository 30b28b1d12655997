"""The weekly timetable (课表) of a term and the 5+2 check of each class's week.

Reads only: the term's slots are loaded in one query (:func:`slot_rows`) and everything
else — the grid per school, teacher, venue or class, and each class's week — is worked out
in Python from those rows, so the cost does not grow with the number of slots or classes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from plans.limits import limits_in_force
from plans.policy import PlanDocument
from programs.models import WEEKDAYS, Offering
from programs.rules import WeekCheck, week_check
from programs.selectors import slots_of_term
from schools.models import Grade, SchoolClass, Term

SCHOOL_WEEK = (0, 1, 2, 3, 4)
# The national 5+2 rule and what counts as 课后服务 when no limit record says otherwise.
DEFAULT_DAYS, DEFAULT_MINUTES, DEFAULT_COUNTED = 5, 120, frozenset({"after_school"})


def weekday_label(weekday: int) -> str:
    return str(dict(WEEKDAYS)[weekday])


def grades_label(grades: Iterable[int]) -> str:
    """Return grades as a school writes them: 三年级、四年级."""
    return "、".join(str(Grade(g).label) for g in sorted(grades))


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class SlotRow:
    """One weekly slot as the timetable shows it (plain values, no further queries)."""

    slot_id: int
    offering_id: int
    weekday: int
    start: dt.time
    end: dt.time
    offering: str
    kind: str
    kind_label: str
    status: str
    grades: tuple[int, ...]
    class_id: int | None
    audience: str  # 三年级2班, or the grades for a grade-wide offering
    venue_id: int
    venue: str
    instructor_id: int
    instructor: str

    @property
    def time_label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def weekday_label(self) -> str:
        return weekday_label(self.weekday)

    def applies_to_class(self, school_class: SchoolClass) -> bool:
        """Return whether the class sees this slot: its own, or its grade's with no class set."""
        if self.class_id is not None:
            return self.class_id == school_class.pk
        return school_class.grade in self.grades


def slot_rows(term: Term) -> list[SlotRow]:
    """Return the term's slots (offerings not closed) in weekday and time order: one query."""
    rows = []
    for slot in slots_of_term(term):
        offering = slot.offering
        school_class = offering.school_class
        rows.append(
            SlotRow(
                slot_id=slot.pk,
                offering_id=offering.pk,
                weekday=slot.weekday,
                start=slot.start,
                end=slot.end,
                offering=offering.name,
                kind=offering.kind,
                kind_label=str(offering.get_kind_display()),
                status=offering.status,
                grades=tuple(offering.grades or ()),
                class_id=offering.school_class_id,
                audience=school_class.label
                if school_class
                else grades_label(offering.grades or ()),
                venue_id=slot.venue_id,
                venue=slot.venue.name,
                instructor_id=slot.instructor_id,
                instructor=slot.instructor.name,
            )
        )
    return rows


def for_teacher(rows: Iterable[SlotRow], staff_id: int) -> list[SlotRow]:
    return [r for r in rows if r.instructor_id == staff_id]


def for_venue(rows: Iterable[SlotRow], venue_id: int) -> list[SlotRow]:
    return [r for r in rows if r.venue_id == venue_id]


def for_class(rows: Iterable[SlotRow], school_class: SchoolClass) -> list[SlotRow]:
    return [r for r in rows if r.applies_to_class(school_class)]


@dataclass(frozen=True)
class GridRow:
    start: dt.time
    end: dt.time
    cells: tuple[tuple[SlotRow, ...], ...]  # one cell per column of the grid

    @property
    def time_label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True)
class Grid:
    """A weekly grid: rows are the distinct times, columns Monday to Friday (and weekend days
    only when a slot falls on them)."""

    weekdays: tuple[int, ...]
    rows: tuple[GridRow, ...]

    @property
    def columns(self) -> list[str]:
        return [weekday_label(d) for d in self.weekdays]


def build_grid(rows: Iterable[SlotRow]) -> Grid:
    """Return the weekly grid of ``rows``; pure, no queries."""
    rows = list(rows)
    weekdays = tuple(sorted(set(SCHOOL_WEEK) | {r.weekday for r in rows}))
    by_time: dict[tuple[dt.time, dt.time], dict[int, list[SlotRow]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        by_time[(row.start, row.end)][row.weekday].append(row)
    grid_rows = tuple(
        GridRow(
            start=start,
            end=end,
            cells=tuple(
                tuple(sorted(days.get(d, []), key=lambda r: (r.offering, r.slot_id)))
                for d in weekdays
            ),
        )
        for (start, end), days in sorted(by_time.items())
    )
    return Grid(weekdays=weekdays, rows=grid_rows)


# --- The 5+2 check ------------------------------------------------------------------------


@dataclass(frozen=True)
class FivePlusTwo:
    """The rule in force for the term: days a week, minutes a day, and which services count."""

    days: int = DEFAULT_DAYS
    minutes: int = DEFAULT_MINUTES
    counted: frozenset[str] = DEFAULT_COUNTED


def rule_for(doc: PlanDocument, term: Term) -> FivePlusTwo:
    """Return the 5+2 rule and the counted services from the limits binding the plan.

    From spring 2024 only after-school care counts (noon care is a separate service), so
    plan 7's noon-care window alone does not make a 5+2 week (plans/limit_data).
    """
    rule = FivePlusTwo()
    for limit in limits_in_force(region=doc.region, stage=doc.school_stage, on=term.start):
        if limit.rule == "five_plus_two":
            rule = dataclasses.replace(
                rule,
                days=int(limit.params["days_per_week"]),
                minutes=int(limit.params["minutes_per_day"]),
            )
        elif limit.rule == "counted_services":
            rule = dataclasses.replace(rule, counted=frozenset(limit.params["kinds"]))
    return rule


def _slot_counts(row: SlotRow, counted: frozenset[str]) -> bool:
    service = "noon_care" if row.kind == Offering.Kind.NOON_CARE else "after_school"
    return service in counted


@dataclass(frozen=True)
class ClassWeek:
    """One class's week measured against 5+2."""

    school_class: SchoolClass
    check: WeekCheck

    @property
    def label(self) -> str:
        return self.school_class.label

    @property
    def meets(self) -> bool:
        return self.check.meets

    @property
    def shortfalls(self) -> list[str]:
        """Return "三年级2班 周三 少 30 分钟" for every school day below the daily minimum."""
        return [
            _("%(cls)s %(day)s short by %(minutes)d minutes")
            % {"cls": self.label, "day": weekday_label(day), "minutes": missing}
            for day, missing in sorted(self.check.short_days.items())
        ]


def class_weeks(
    *, doc: PlanDocument, rule: FivePlusTwo, classes: Iterable[SchoolClass], rows: Iterable[SlotRow]
) -> list[ClassWeek]:
    """Measure each class's school week: its slots plus the plan's windows for its grade.

    Overlapping times count once (``rules.merged_minutes``); weekend slots do not count
    towards the five school days.
    """
    rows = [r for r in rows if r.weekday in SCHOOL_WEEK and _slot_counts(r, rule.counted)]
    windows = [w for w in doc.windows if w.kind in rule.counted]
    out = []
    for school_class in classes:
        intervals: dict[int, list[tuple[int, int]]] = {d: [] for d in SCHOOL_WEEK}
        for window in windows:
            if school_class.grade in window.grades:
                for day in window.weekdays:
                    if day in intervals:
                        intervals[day].append((_minutes(window.start), _minutes(window.end)))
        for row in rows:
            if row.applies_to_class(school_class):
                intervals[row.weekday].append((_minutes(row.start), _minutes(row.end)))
        check = dataclasses.replace(
            week_check(intervals, min_days=rule.days), min_minutes_per_day=rule.minutes
        )
        out.append(ClassWeek(school_class=school_class, check=check))
    return out
