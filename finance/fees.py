"""What a child is charged, waived and refunded under the term's plan: pure computations.

Each result carries its working (days, rate, percent) so a guardian can read how it was
computed. Nothing from a seed plan is here: the plan document says basis, amounts,
waivers, the allocation and the refund rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from lib.money import ZERO, fen, percent_of
from plans.policy import FeeItem, PlanDocument
from schools.calendar import CalendarDay


@dataclass
class ChildFee:
    """One fee item for one child over the term."""

    item: str
    basis: str
    rate: Decimal
    service_days: int  # days the service runs in the term
    enrolled_days: int  # of those, the days the child is enrolled for
    periods_per_day: int
    gross: Decimal
    waiver_percent: Decimal
    waived: Decimal
    allocation: Decimal  # paid by the government allocation instead of the family
    working: list[str] = field(default_factory=list)

    @property
    def due(self) -> Decimal:
        return self.gross - self.waived - self.allocation


def service_days(doc: PlanDocument, item: FeeItem, days: Iterable[CalendarDay], grade: int) -> list[dt.date]:
    """Return the school days on which a window the item covers runs for the grade."""
    windows = [w for w in doc.windows_of(*item.covers) if grade in w.grades]
    return [
        d.date for d in days
        if d.is_school_day and d.timetable_weekday is not None
        and any(d.timetable_weekday in w.weekdays for w in windows)
    ]


def _periods(doc: PlanDocument, item: FeeItem, grade: int) -> int:
    return max((w.periods for w in doc.windows_of(*item.covers) if grade in w.grades), default=0)


def waiver_percent(doc: PlanDocument, flags: dict[str, bool], decisions: Iterable[Decimal] = ()) -> Decimal:
    """Return the largest waiver the child qualifies for (flags are not added up)."""
    by_flag = [Decimal(w.percent) for w in doc.fees.waivers if flags.get(w.group)]
    return min(Decimal(100), max([Decimal(0), *by_flag, *decisions]))


def term_fees(
    doc: PlanDocument, *, days: list[CalendarDay], grade: int, services: set[str],
    enrolled_from: dt.date, enrolled_until: dt.date, flags: dict[str, bool],
    decisions: Iterable[Decimal] = (),
) -> list[ChildFee]:
    """Return the child's fee items for the term (service fees only; meals are billed monthly)."""
    percent = waiver_percent(doc, flags, decisions)
    allocation_left = Decimal(doc.fees.government_allocation_per_student or 0)
    fees = []
    for item in doc.fees.items:
        if grade not in item.grades or not set(item.covers) & services or item.fee_kind != "service":
            continue
        running = service_days(doc, item, days, grade)
        enrolled = [d for d in running if enrolled_from <= d <= enrolled_until]
        periods = _periods(doc, item, grade)
        rate = Decimal(item.amount)
        if item.basis == "term":
            gross = fen(rate * len(enrolled) / len(running)) if running else ZERO
            working = [f"{rate} × {len(enrolled)}/{len(running)}"]
        elif item.basis == "period":
            gross = fen(rate * periods * len(enrolled))
            working = [f"{rate} × {periods} × {len(enrolled)}"]
        elif item.basis == "day":
            gross = fen(rate * len(enrolled))
            working = [f"{rate} × {len(enrolled)}"]
        else:  # month
            gross, working = _monthly(rate, running, enrolled, item.partial_month)
        waived = percent_of(gross, percent)
        allocation = min(allocation_left, gross - waived)
        allocation_left -= allocation
        fees.append(ChildFee(item.name, item.basis, rate, len(running), len(enrolled), periods,
                             gross, percent, waived, allocation, working))
    return fees


def _monthly(rate: Decimal, running: list[dt.date], enrolled: list[dt.date], rule: str) -> tuple[Decimal, list[str]]:
    total, working = ZERO, []
    months = sorted({(d.year, d.month) for d in running})
    for year, month in months:
        in_month = [d for d in running if (d.year, d.month) == (year, month)]
        mine = [d for d in enrolled if (d.year, d.month) == (year, month)]
        if not mine:
            continue
        if len(mine) == len(in_month) or rule == "full":
            part = rate
        elif rule == "half_if_under_half" and len(mine) * 2 < len(in_month):
            part = fen(rate / 2)
        elif rule == "half_if_under_half":
            part = rate
        else:
            part = fen(rate * len(mine) / len(in_month))
        total += part
        working.append(f"{year}-{month:02d}: {part}")
    return fen(total), working


@dataclass(frozen=True)
class AbsenceRefund:
    first_day: dt.date
    last_day: dt.date
    days: int
    amount: Decimal
    working: str


def absence_refunds(
    doc: PlanDocument, fee: ChildFee, *, service_dates: list[dt.date], absent: set[dt.date]
) -> list[AbsenceRefund]:
    """Refund each run of consecutive absent service days longer than the plan's threshold.

    Plan 1 一(一): 学生因故缺席课后服务连续一周以上的，学校应当根据实际情况，退还部分课后服务费.
    The refund is the due fee per enrolled day times the days of the run.
    """
    rule = doc.fees.refund
    if rule.basis == "none" or rule.refund == "none" or not fee.enrolled_days:
        return []
    per_day = fee.due / fee.enrolled_days
    refunds, run = [], []
    for date in [*service_dates, None]:
        if date is not None and date in absent:
            run.append(date)
            continue
        if len(run) > rule.after_continuous_absent_days and fen(per_day * len(run)) > ZERO:
            # A child whose fee is waived in full (or paid by the allocation) has nothing to get back.
            amount = fen(per_day * len(run))
            refunds.append(AbsenceRefund(run[0], run[-1], len(run), amount,
                                         f"{fee.due} ÷ {fee.enrolled_days} × {len(run)} = {amount}"))
        run = []
    return refunds
