"""Reads for the staffing pages: the roster grid, workload (核算工作量, plan 5), inspection
summaries and the month's performance events. Every read is scoped to one school."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum

from people.models import Staff
from schools.models import Term
from staffing.models import DutyAssignment, Inspection, PerformanceEvent, Post, TeachingRecord

WINDOWS = ("week", "month", "term")


def window(kind: str, anchor: dt.date, term: Term) -> tuple[dt.date, dt.date]:
    """Return the week (Monday–Sunday), month or term holding ``anchor``, clipped to the term."""
    if kind == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        end = start + dt.timedelta(days=6)
    elif kind == "month":
        start = anchor.replace(day=1)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        start, end = term.start, term.end
    return max(start, term.start), min(end, term.end)


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class Workload:
    """One person's work in a window: sessions by outcome, periods own and as a substitute, duty days."""

    staff_id: int
    name: str
    by_outcome: dict[str, int] = field(default_factory=dict)
    own_periods: int = 0
    substitute_periods: int = 0
    duty_days: int = 0

    @property
    def sessions(self) -> int:
        """Every record in the window, whatever happened."""
        return sum(self.by_outcome.values())

    @property
    def delivered(self) -> int:
        """Sessions that earn their periods (delivered, substitute, late, early, swapped)."""
        return sum(n for outcome, n in self.by_outcome.items() if outcome in TeachingRecord.PAID)

    @property
    def periods(self) -> int:
        return self.own_periods + self.substitute_periods

    @property
    def missed(self) -> int:
        return self.by_outcome.get(TeachingRecord.Outcome.MISSED, 0)


def workload(*, school_id: int, start: dt.date, end: dt.date, staff_id: int | None = None) -> list[Workload]:
    """Return the workload of each person with records or duties from ``start`` to ``end`` (three queries)."""
    records = TeachingRecord.objects.filter(school_id=school_id, date__range=(start, end))
    duties = DutyAssignment.objects.filter(school_id=school_id, date__range=(start, end))
    if staff_id is not None:
        records, duties = records.filter(teacher_id=staff_id), duties.filter(staff_id=staff_id)
    rows: dict[int, Workload] = {}

    def row(pk: int) -> Workload:
        return rows.setdefault(pk, Workload(staff_id=pk, name=""))

    for teacher_id, outcome, n, periods in records.order_by().values("teacher_id", "outcome").annotate(
        n=Count("id"), p=Sum("periods")
    ).values_list("teacher_id", "outcome", "n", "p"):
        w = row(teacher_id)
        w.by_outcome[outcome] = w.by_outcome.get(outcome, 0) + n
        if outcome == TeachingRecord.Outcome.SUBSTITUTE:
            w.substitute_periods += periods
        elif outcome in TeachingRecord.PAID:
            w.own_periods += periods
    for pk, days in duties.order_by().values("staff_id").annotate(d=Count("date", distinct=True)).values_list("staff_id", "d"):
        row(pk).duty_days = days
    for pk, name in Staff.objects.filter(pk__in=rows).values_list("pk", "name"):
        rows[pk].name = name
    return sorted(rows.values(), key=lambda w: w.name)


@dataclass(frozen=True)
class RosterDay:
    date: dt.date
    cells: list[list[DutyAssignment]]  # one list per post, in Post order


def roster_grid(*, term: Term, days: list[dt.date]) -> list[RosterDay]:
    """Return the term's duties as rows of days and columns of posts (one query)."""
    by_cell: dict[tuple[dt.date, str], list[DutyAssignment]] = defaultdict(list)
    for duty in DutyAssignment.objects.filter(term=term).select_related("staff").order_by("date", "post", "staff__pinyin"):
        by_cell[(duty.date, duty.post)].append(duty)
    dates = sorted(set(days) | {d for d, _post in by_cell})
    return [RosterDay(d, [by_cell.get((d, post), []) for post in Post.values]) for d in dates]


@dataclass(frozen=True)
class InspectionSummary:
    staff_id: int
    name: str
    count: int
    attendance: float
    content: float
    quality: float

    @property
    def total(self) -> float:
        return self.attendance + self.content + self.quality


def inspection_summary(term: Term) -> list[InspectionSummary]:
    """Return per teacher the term's inspections: how many, and the average of each score (one query)."""
    rows = (
        Inspection.objects.filter(school_id=term.school_id, at__date__range=(term.start, term.end))
        .values("teacher_id", "teacher__name")
        .annotate(n=Count("id"), a=Avg("attendance_score"), c=Avg("content_score"), q=Avg("quality_score"))
        .order_by("teacher__pinyin")
    )
    return [
        InspectionSummary(r["teacher_id"], r["teacher__name"], r["n"], round(r["a"], 2), round(r["c"], 2), round(r["q"], 2))
        for r in rows
    ]


def month_events(*, school_id: int, month: dt.date, staff_id: int | None = None) -> list[PerformanceEvent]:
    """Return the month's events (breaches and commendations) with their people (one query)."""
    first, last = month_bounds(month)
    events = PerformanceEvent.objects.filter(school_id=school_id, date__range=(first, last))
    if staff_id is not None:
        events = events.filter(staff_id=staff_id)
    return list(events.select_related("staff", "session__offering", "overridden_by").order_by("staff__pinyin", "staff_id", "date", "id"))


def term_event_counts(term: Term) -> dict[int, dict[str, int]]:
    """Return per staff member the term's standing commendations and breaches (one query)."""
    standing = PerformanceEvent.objects.filter(
        school_id=term.school_id, date__range=(term.start, term.end), overridden=False)
    commendation = Q(kind=PerformanceEvent.Kind.COMMENDATION)
    return {
        r["staff_id"]: {"commendations": r["c"], "breaches": r["b"]}
        for r in standing.order_by().values("staff_id").annotate(c=Count("id", filter=commendation), b=Count("id", filter=~commendation))
    }
