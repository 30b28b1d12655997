"""Check a plan document against the limits in force for its term.

Counts of school days come from the term calendar (:func:`schools.calendar.school_days`),
never from counting weekdays by hand; the checks themselves are plain functions of the
document, the term's facts and the limit, so they can be tested with worked figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plans.limits import Breach, Limit, Word, limits_in_force
from plans.policy import FeeItem, PlanDocument, ServiceWindow
from plans.policy_types import FEN, minutes_between

GRADES = range(1, 10)


@dataclass(frozen=True)
class TermFacts:
    """What the calendar says about a term: school days by the weekday timetable they run."""

    start: dt.date
    weekday_days: dict[int, int]  # timetable weekday (0 = Monday) → school days in the term
    months: int  # calendar months that have at least one school day

    @property
    def school_days(self) -> int:
        return sum(self.weekday_days.values())

    def periods(self, windows: list[ServiceWindow]) -> int:
        return sum(w.periods * self.weekday_days.get(d, 0) for w in windows for d in w.weekdays)

    def days(self, windows: list[ServiceWindow]) -> int:
        weekdays = {d for w in windows for d in w.weekdays}
        return sum(self.weekday_days.get(d, 0) for d in weekdays)


def facts_for_term(term) -> TermFacts:
    """Return the calendar facts of ``term`` (raises CalendarYearUnknown for unknown years)."""
    from schools.calendar import school_days

    return facts_from_days(term, school_days(term))


def facts_from_days(term, days) -> TermFacts:
    """Return the facts of ``term`` from its calendar days (school days or the whole calendar)."""
    days = [d for d in days if d.is_school_day]
    counts = Counter(d.timetable_weekday for d in days if d.timetable_weekday is not None)
    months = len({(d.date.year, d.date.month) for d in days})
    return TermFacts(start=term.start, weekday_days=dict(counts), months=months)


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _counted_kinds(limits: list[Limit]) -> set[str]:
    for limit in limits:
        if limit.rule == "counted_services":
            return set(limit.params["kinds"])
    return {"after_school"}


class _Plan:
    """A document seen through the limits: which windows and fees count as 课后服务."""

    def __init__(self, doc: PlanDocument, facts: TermFacts, counted: set[str]):
        self.doc, self.facts, self.counted = doc, facts, counted
        self.windows = [w for w in doc.windows if w.kind in counted]
        self.items = [
            i for i in doc.fees.items if i.fee_kind == "service" and set(i.covers) & counted
        ]

    def _item_windows(self, item: FeeItem, grade: int) -> list[ServiceWindow]:
        return [w for w in self.doc.windows if w.kind in item.covers and grade in w.grades]

    def term_total(self, item: FeeItem, grade: int) -> Decimal:
        """Return what one student of ``grade`` pays for ``item`` over the whole term."""
        windows = self._item_windows(item, grade)
        count = {
            "term": 1,
            "month": self.facts.months,
            "period": self.facts.periods(windows),
            "day": self.facts.days(windows),
        }[item.basis]
        return item.amount * count

    def per_grade(self) -> dict[int, tuple[Decimal, int]]:
        """Return grade → (term total of counted fees, counted periods) for grades served."""
        out = {}
        for grade in GRADES:
            items = [i for i in self.items if grade in i.grades]
            windows = [w for w in self.windows if grade in w.grades]
            if items and windows:
                total = sum((self.term_total(i, grade) for i in items), Decimal(0))
                out[grade] = (total, self.facts.periods(windows))
        return out


def _fee_cap(limit: Limit, plan: _Plan, unit: str) -> list[Breach]:
    cap = Decimal(limit.params["amount"])
    worst: Decimal | None = None
    for total, periods in plan.per_grade().values():
        if unit == "term":
            value = total
        elif unit == "month":
            value = total / plan.facts.months if plan.facts.months else Decimal(0)
        else:
            value = total / periods if periods else Decimal(0)
        worst = value if worst is None or value > worst else worst
    if worst is None or _round(worst) <= cap:
        return []
    value = _round(worst)
    return [Breach(limit=limit, path="fees.items", value=value, bound=cap, difference=value - cap)]


def _pay_cap(limit: Limit, plan: _Plan) -> list[Breach]:
    cap = Decimal(limit.params["amount"])
    pay = plan.doc.pay
    highest = pay.rate_per_period if pay.model == "per_period_rate" else pay.cap_per_period
    if pay.cap_per_period is not None and (highest is None or pay.cap_per_period > highest):
        highest = pay.cap_per_period
    if highest is None:
        return [
            Breach(
                limit=limit, path="pay.cap_per_period", value=None, bound=cap, template="missing"
            )
        ]
    if highest <= cap:
        return []
    path = "pay.cap_per_period" if highest == pay.cap_per_period else "pay.rate_per_period"
    return [Breach(limit=limit, path=path, value=highest, bound=cap, difference=highest - cap)]


def _pay_floor(limit: Limit, plan: _Plan) -> list[Breach]:
    floor = Decimal(limit.params["amount"])
    pay = plan.doc.pay
    # A pool is shared after the term; only a capped pool can be known to stay under a floor.
    lowest = pay.rate_per_period if pay.model == "per_period_rate" else pay.cap_per_period
    if lowest is None or lowest >= floor:
        return []
    path = "pay.rate_per_period" if pay.model == "per_period_rate" else "pay.cap_per_period"
    return [
        Breach(
            limit=limit,
            path=path,
            value=lowest,
            bound=floor,
            difference=floor - lowest,
            template="floor",
        )
    ]


def _five_plus_two(limit: Limit, plan: _Plan) -> list[Breach]:
    need_days = int(limit.params["days_per_week"])
    need_minutes = int(limit.params["minutes_per_day"])
    minutes_by_day: Counter[int] = Counter()
    for window in plan.windows:
        for day in window.weekdays:
            minutes_by_day[day] += window.minutes
    days = len(minutes_by_day)
    out = []
    if days < need_days:
        out.append(
            Breach(
                limit=limit,
                path="windows",
                value=days,
                bound=need_days,
                difference=need_days - days,
                template="minimum",
                unit="days_a_week",
            )
        )
    shortest = min(minutes_by_day.values(), default=0)
    if days and shortest < need_minutes:
        out.append(
            Breach(
                limit=limit,
                path="windows",
                value=shortest,
                bound=need_minutes,
                difference=need_minutes - shortest,
                template="minimum",
                unit="minutes_a_day",
            )
        )
    return out


def _end_time(limit: Limit, plan: _Plan) -> list[Breach]:
    hh, mm = (int(x) for x in limit.params["time"].split(":"))
    bound = dt.time(hh, mm)
    out = []
    for index, window in enumerate(plan.doc.windows):
        if window.kind == "after_school" and window.end < bound:
            out.append(
                Breach(
                    limit=limit,
                    path=f"windows.{index}.end",
                    value=window.end.strftime("%H:%M"),
                    bound=limit.params["time"],
                    difference=minutes_between(window.end, bound),
                    template="not_before",
                    unit="clock",
                    difference_unit="minutes",
                )
            )
    return out


def _counted_services(limit: Limit, plan: _Plan) -> list[Breach]:
    counted = set(limit.params["kinds"])
    out = []
    for index, item in enumerate(plan.doc.fees.items):
        others = [k for k in item.covers if k not in counted]
        if others and set(item.covers) & counted:
            out.append(
                Breach(
                    limit=limit,
                    path=f"fees.items.{index}.covers",
                    value=Word("bundled", {"other": others[0]}),
                    bound=Word("separate_items"),
                    template="kind",
                    unit="text",
                )
            )
    return out


def _meal_fee_kind(limit: Limit, plan: _Plan) -> list[Breach]:
    meals = plan.doc.fees.meals
    wanted = limit.params["fee_kind"]
    if meals is None or meals.fee_kind == wanted:
        return []
    return [
        Breach(
            limit=limit,
            path="fees.meals.fee_kind",
            value=Word(meals.fee_kind),
            bound=Word(wanted),
            template="kind",
            unit="text",
        )
    ]


CHECKS: dict[str, Callable[[Limit, _Plan], list[Breach]]] = {
    "fee_cap_per_term": lambda lim, p: _fee_cap(lim, p, "term"),
    "fee_cap_per_month": lambda lim, p: _fee_cap(lim, p, "month"),
    "fee_cap_per_period": lambda lim, p: _fee_cap(lim, p, "period"),
    "pay_cap_per_period": _pay_cap,
    "pay_floor_per_period": _pay_floor,
    "five_plus_two": _five_plus_two,
    "end_time_not_before": _end_time,
    "counted_services": _counted_services,
    "meal_fee_kind": _meal_fee_kind,
}


def check_limits(doc: PlanDocument, facts: TermFacts) -> list[Breach]:
    """Return every breach of the limits in force for ``doc`` on the term's first day."""
    limits = limits_in_force(region=doc.region, stage=doc.school_stage, on=facts.start)
    plan = _Plan(doc, facts, _counted_kinds(limits))
    breaches: list[Breach] = []
    for limit in limits:
        breaches.extend(CHECKS[limit.rule](limit, plan))
    return breaches


@dataclass(frozen=True)
class PlanFigures:
    """What a plan charges and pays at most, as the limits measure it (for the district view)."""

    fee_per_term: Decimal | None  # the highest term total of counted fees over the grades served
    fee_per_period: Decimal | None
    pay_per_period: Decimal | None  # the plan's rate, or its cap for a pool
    breaches: list[Breach]

    def breached(self, *rules: str) -> bool:
        return any(b.limit.rule in rules for b in self.breaches)


def plan_figures(doc: PlanDocument, facts: TermFacts) -> PlanFigures:
    """Return the plan's highest fee per term and per period, its pay per period, and breaches."""
    limits = limits_in_force(region=doc.region, stage=doc.school_stage, on=facts.start)
    plan = _Plan(doc, facts, _counted_kinds(limits))
    grades = plan.per_grade().values()
    per_term = max((total for total, _p in grades), default=None)
    per_period = max((total / periods for total, periods in grades if periods), default=None)
    pay = doc.pay
    return PlanFigures(
        fee_per_term=_round(per_term) if per_term is not None else None,
        fee_per_period=_round(per_period) if per_period is not None else None,
        pay_per_period=pay.rate_per_period if pay.model == "per_period_rate" else pay.cap_per_period,
        breaches=check_limits(doc, facts),
    )
