"""Reads for the payroll pages: runs and lines of one school, the working of the period value,
the term summary per person and the term awards list. Scoped to one school throughout."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _

from lib.money import ZERO, fen
from payroll.formula import Pool
from payroll.models import PayLine, PayRun
from people.models import Staff, StaffRole
from schools.models import Term
from staffing.models import PerformanceEvent
from staffing.selectors import term_event_counts


def parse_month(raw: str) -> dt.date | None:
    """Return the first day of ``YYYY-MM``, or None when it is not a month."""
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        return None


def term_for_month(school_id: int, month: dt.date) -> Term | None:
    """Return the school's term that runs in ``month`` (the earliest if two do)."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return Term.objects.filter(school_id=school_id, start__lte=last, end__gte=month).order_by("start").first()


def run_lines(run: PayRun) -> list[PayLine]:
    """Return the run's lines with each person and their roles (three queries whatever the size)."""
    return list(
        run.lines.select_related("staff")
        .prefetch_related(Prefetch("staff__roles", queryset=StaffRole.objects.order_by("role")))
        .order_by("staff__pinyin", "staff_id")
    )


def post_label(staff: Staff) -> str:
    """Return the roles of ``staff`` as the 岗位 column shows them (uses prefetched roles)."""
    return "、".join(str(r.get_role_display()) for r in staff.roles.all())


_KIND = re.compile(r"^(?P<kind>[a-z_]+): (?P<rest>.*)$")
_THAT = re.compile(r"^(?P<n>\d+) × that period$")
_PERCENT = re.compile(r"^(?P<p>[\d.]+)% of the month$")


def describe_rule(rule: str) -> str:
    """Return a deduction's rule in the reader's language (the stored label is a stable key)."""
    match = _KIND.match(rule)
    if not match:
        return rule
    kinds = dict(PerformanceEvent.Kind.choices)
    kind = str(kinds.get(match["kind"], match["kind"]))
    rest = match["rest"]
    if m := _THAT.match(rest):
        rest = _("%(n)s × that period's pay") % {"n": m["n"]}
    elif m := _PERCENT.match(rest):
        rest = _("%(p)s%% of the month's teaching pay") % {"p": Decimal(m["p"]).normalize()}
    return f"{kind}: {rest}"


@dataclass(frozen=True)
class DeductionRow:
    rule: str
    amount: Decimal
    events: list[str]


def deduction_rows(line: PayLine) -> list[DeductionRow]:
    return [DeductionRow(describe_rule(d["rule"]), Decimal(d["amount"]), list(d.get("events", [])))
            for d in line.deductions]


@dataclass(frozen=True)
class Working:
    """How one period's value was worked out (plan 1 二(三)2), for the page and the statement."""

    model: str
    value: Decimal
    rate: Decimal | None = None
    fees: Decimal = ZERO
    subsidies: Decimal = ZERO
    external: Decimal = ZERO
    consumables_upkeep: Decimal = ZERO
    pool: Decimal = ZERO
    periods: int = 0
    uncapped_rate: Decimal = ZERO
    cap: Decimal | None = None
    capped: bool = False
    paid_out: Decimal = ZERO
    left_in_fund: Decimal = ZERO


def working_of(run: PayRun) -> Working:
    """Return the working stored on ``run`` with the figures it implies (pool, cap, what stays)."""
    w = run.working or {}
    if w.get("model") != "pool":
        return Working(model="rate", value=run.period_value, rate=Decimal(w.get("rate") or run.period_value))
    cap = Decimal(w["cap"]) if w.get("cap") is not None else None
    pool = Pool(Decimal(w["fees"]), Decimal(w["subsidies"]), Decimal(w["external"]), Decimal(w["consumables_upkeep"]),
                int(w["periods"]), cap)
    return Working(
        model="pool", value=run.period_value, fees=pool.fees, subsidies=pool.subsidies, external=pool.external,
        consumables_upkeep=pool.consumables_upkeep, pool=fen(pool.amount), periods=pool.total_periods,
        uncapped_rate=fen(pool.uncapped_rate), cap=cap, capped=pool.capped, paid_out=pool.paid_out,
        left_in_fund=pool.left_in_fund,
    )


@dataclass(frozen=True)
class Totals:
    periods: int
    teaching_pay: Decimal
    subsidy: Decimal
    external_pay: Decimal
    deducted: Decimal
    net: Decimal


def totals_of(lines: list[PayLine]) -> Totals:
    return Totals(
        periods=sum(x.periods for x in lines),
        teaching_pay=sum((x.teaching_pay for x in lines), ZERO), subsidy=sum((x.subsidy for x in lines), ZERO),
        external_pay=sum((x.external_pay for x in lines), ZERO), deducted=sum((x.deducted for x in lines), ZERO),
        net=sum((x.net for x in lines), ZERO),
    )


def term_summary(term: Term, *, staff_id: int | None = None) -> list[dict]:
    """Return per person the sums of the term's committed months (学期汇总, plan 1), one query."""
    lines = PayLine.objects.filter(run__term=term, run__school_id=term.school_id, run__status=PayRun.Status.COMMITTED)
    if staff_id is not None:
        lines = lines.filter(staff_id=staff_id)
    return list(
        lines.order_by().values("staff_id", "staff__name", "staff__pinyin")
        .annotate(months=Count("run"), periods=Sum("periods"), teaching_pay=Sum("teaching_pay"),
                  subsidy=Sum("subsidy"), external_pay=Sum("external_pay"), deducted=Sum("deducted"), net=Sum("net"))
        .order_by("staff__pinyin", "staff_id")
    )


@dataclass(frozen=True)
class AwardRow:
    staff_id: int
    name: str
    commendations: int
    breaches: int
    deducted: Decimal

    @property
    def eligible(self) -> bool:
        """Commended, with no standing breach and nothing deducted this term (plan 1 绩效考核 7)."""
        return self.commendations > 0 and self.breaches == 0 and self.deducted == 0


def term_awards(term: Term) -> list[AwardRow]:
    """Return everyone commended this term with their breaches and deductions, eligible first (three queries)."""
    counts = term_event_counts(term)
    commended = {pk for pk, c in counts.items() if c["commendations"]}
    deducted = dict(
        PayLine.objects.filter(run__term=term, run__status=PayRun.Status.COMMITTED, staff_id__in=commended)
        .order_by().values("staff_id").annotate(d=Sum("deducted")).values_list("staff_id", "d")
    )
    names = dict(Staff.objects.filter(pk__in=commended).values_list("pk", "name"))
    rows = [AwardRow(pk, names.get(pk, ""), counts[pk]["commendations"], counts[pk]["breaches"],
                     deducted.get(pk) or ZERO) for pk in commended]
    return sorted(rows, key=lambda r: (not r.eligible, -r.commendations, r.name))
