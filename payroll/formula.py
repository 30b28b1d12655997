"""Pay by work done (多劳多得, plan 1 二): the pool formula, the per-period cap, subsidies and
the monthly deduction ladder. Pure functions over Decimal; the plan document gives every number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from lib.money import ZERO, fen, percent_of, split
from plans.policy import DeductionRule, Pay


@dataclass(frozen=True)
class Pool:
    """(fees − subsidies − external staff − consumables and upkeep) ÷ all periods (plan 1 二(三)2)."""

    fees: Decimal
    subsidies: Decimal
    external: Decimal
    consumables_upkeep: Decimal
    total_periods: int
    cap_per_period: Decimal | None

    @property
    def amount(self) -> Decimal:
        return max(ZERO, self.fees - self.subsidies - self.external - self.consumables_upkeep)

    @property
    def uncapped_rate(self) -> Decimal:
        return self.amount / self.total_periods if self.total_periods else ZERO

    @property
    def capped(self) -> bool:
        return self.cap_per_period is not None and self.uncapped_rate > self.cap_per_period

    @property
    def paid_out(self) -> Decimal:
        """What the teachers share: the pool, or the cap × periods when the cap binds."""
        if self.capped:
            return fen(self.cap_per_period * self.total_periods)
        return fen(self.amount)

    @property
    def left_in_fund(self) -> Decimal:
        return fen(self.amount) - self.paid_out


def pool_shares(pool: Pool, periods: dict[int, int]) -> dict[int, Decimal]:
    """Split what the pool pays out over teachers by their periods, to the fen (largest remainder)."""
    ids = sorted(periods)
    parts = split(pool.paid_out, [periods[i] for i in ids]) if ids else []
    return dict(zip(ids, parts, strict=True))


def rate_pay(pay: Pay, periods: int) -> Decimal:
    """Per-period pay (the plan's rate, never above its cap)."""
    rate = Decimal(pay.rate_per_period or 0)
    if pay.cap_per_period is not None:
        rate = min(rate, Decimal(pay.cap_per_period))
    return fen(rate * periods)


@dataclass(frozen=True)
class Event:
    kind: str
    periods: int = 0
    percent: Decimal | None = None  # decided by the principal (neglect, accident)
    note: str = ""


@dataclass
class Deduction:
    rule: str
    amount: Decimal
    events: list[Event] = field(default_factory=list)


def _rung(rules: list[DeductionRule], count: int) -> DeductionRule | None:
    """The ladder rung in force: the rule with the highest threshold the count reaches."""
    reached = [r for r in rules if count >= r.min_count_in_month]
    return max(reached, key=lambda r: r.min_count_in_month) if reached else None


def deductions(
    rules: list[DeductionRule], events: list[Event], *, month_pay: Decimal, period_value: Decimal
) -> list[Deduction]:
    """Run the month's events through the plan's ladder (plan 1 绩效考核 2–6).

    Order: each kind of event is judged on its own rung (e.g. two lates cost those periods,
    a third makes it 50 % of the month instead); the kinds are added up in the plan's order;
    the total never exceeds the month's pay (the last deductions are cut down to fit).
    """
    counts = Counter(e.kind for e in events)
    out: list[Deduction] = []
    for kind in dict.fromkeys(r.event for r in rules):
        mine = [e for e in events if e.kind == kind]
        if not mine:
            continue
        rung = _rung([r for r in rules if r.event == kind], counts[kind])
        if rung is None:
            continue
        if rung.deduct == "that_period":
            amount = fen(period_value * sum(e.periods for e in mine))
            label = f"{kind}: {len(mine)} × that period"
        elif rung.percent_max is not None:  # a range: the principal's decision, kept in range
            percent = max(
                (min(max(e.percent or Decimal(rung.percent_min), Decimal(rung.percent_min)), Decimal(rung.percent_max))
                 for e in mine),
            )
            amount, label = percent_of(month_pay, percent), f"{kind}: {percent}% of the month"
        else:
            percent = Decimal(rung.percent_min) * (len(mine) if rung.per_occurrence else 1)
            percent = min(percent, Decimal(100))
            amount, label = percent_of(month_pay, percent), f"{kind}: {percent}% of the month"
        out.append(Deduction(label, amount, mine))
    total = ZERO
    for d in out:
        d.amount = min(d.amount, month_pay - total)
        total += d.amount
    return out
