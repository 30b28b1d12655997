"""The figures of each day of a span, from a fixed few aggregate queries (reports.periodic folds them).

Each query groups by day (and by teacher where the internal report names teachers), so the
number of queries stays the same whatever the number of children, sessions or weeks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import Alert, Mark
from attendance.models_log import Incident
from finance.models import JournalLine
from lib.money import ZERO, fen
from payroll.models import PayLine
from programs.models import Session
from reports.dashboard import percent
from schools.models import Term
from staffing.models import Inspection, PerformanceEvent, TeachingRecord

HELD = frozenset(TeachingRecord.PAID)
LATE_EARLY_SWAP = frozenset(
    {
        TeachingRecord.Outcome.LATE_START,
        TeachingRecord.Outcome.EARLY_FINISH,
        TeachingRecord.Outcome.UNAPPROVED_SWAP,
    }
)
ALERT_KINDS = ("absent_without_leave", "count_mismatch", "refused_pickup", "incident_escalated")


@dataclass
class Counts:
    """Additive figures of a span: a month's counts are the sum of its weeks' counts."""

    sessions_scheduled: int = 0
    sessions_cancelled: int = 0
    records: int = 0
    held: int = 0
    substituted: int = 0
    missed: int = 0
    late_early_swap: int = 0
    not_held: int = 0
    periods_held: int = 0
    marks: int = 0
    present: int = 0
    late: int = 0
    absent: int = 0
    leave: int = 0
    breaches: int = 0
    breaches_by_kind: Counter = field(default_factory=Counter)
    commendations: int = 0
    inspections: int = 0
    inspection_points: int = 0  # sum of the three scores, for the average
    incidents: int = 0
    incidents_serious: int = 0
    incidents_by_kind: Counter = field(default_factory=Counter)
    alerts_by_kind: Counter = field(default_factory=Counter)
    charged: Decimal = ZERO
    waived: Decimal = ZERO
    allocation: Decimal = ZERO
    paid: Decimal = ZERO
    refunds: Decimal = ZERO
    expenses: Decimal = ZERO
    expenses_by_account: Counter = field(default_factory=Counter)
    bank_in: Decimal = ZERO
    bank_out: Decimal = ZERO

    def __add__(self, other: Counts) -> Counts:
        total = Counts()
        for f in fields(self):
            setattr(total, f.name, getattr(self, f.name) + getattr(other, f.name))
        return total

    @property
    def attendance_rate(self) -> str:
        return percent(self.present + self.late, self.marks)

    @property
    def delivery_rate(self) -> str:
        return percent(self.held, self.records)

    @property
    def inspection_average(self) -> str:
        return (
            f"{Decimal(self.inspection_points) / self.inspections:.1f}" if self.inspections else "–"
        )


@dataclass
class Listing:
    """A named table of the internal report (teachers, inspections, incidents)."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def day_figures(
    term: Term, start: dt.date, end: dt.date, *, names: bool
) -> tuple[dict[dt.date, Counts], list[Listing]]:
    """Return the span's counts per day (and the named listings) from eight aggregate queries."""
    school_id, span = term.school_id, (start, end)
    days: dict[dt.date, Counts] = defaultdict(Counts)

    for sess in (
        Session.objects.filter(school_id=school_id, date__range=span)
        .values("date", "status")
        .annotate(n=Count("pk"))
    ):
        c = days[sess["date"]]
        if sess["status"] == Session.Status.CANCELLED:
            c.sessions_cancelled += sess["n"]
        else:
            c.sessions_scheduled += sess["n"]

    teachers: dict[int, list] = {}
    records = (
        TeachingRecord.objects.filter(school_id=school_id, date__range=span)
        .values("date", "outcome", "teacher_id", "teacher__name")
        .annotate(n=Count("pk"), p=Coalesce(Sum("periods"), 0))
    )
    for rec in records:
        c, outcome, n = days[rec["date"]], rec["outcome"], rec["n"]
        c.records += n
        c.held += n if outcome in HELD else 0
        c.periods_held += rec["p"] if outcome in HELD else 0
        c.substituted += n if outcome == TeachingRecord.Outcome.SUBSTITUTE else 0
        c.missed += n if outcome == TeachingRecord.Outcome.MISSED else 0
        c.late_early_swap += n if outcome in LATE_EARLY_SWAP else 0
        c.not_held += n if outcome == TeachingRecord.Outcome.NOT_HELD else 0
        row = teachers.setdefault(rec["teacher_id"], [rec["teacher__name"], 0, 0, 0, 0, 0])
        row[1] += n
        row[2] += n if outcome in HELD else 0
        row[3] += n if outcome == TeachingRecord.Outcome.MISSED else 0
        row[4] += n if outcome in LATE_EARLY_SWAP else 0

    marks = (
        Mark.objects.filter(roll_call__school_id=school_id, roll_call__date__range=span)
        .values("roll_call__date", "status")
        .annotate(n=Count("pk"))
    )
    for mark in marks:
        c = days[mark["roll_call__date"]]
        c.marks += mark["n"]
        setattr(c, mark["status"], getattr(c, mark["status"]) + mark["n"])

    breaches: dict[tuple[int, str], list] = {}
    events = (
        PerformanceEvent.objects.filter(school_id=school_id, date__range=span, overridden=False)
        .values("date", "kind", "staff_id", "staff__name")
        .annotate(n=Count("pk"))
    )
    for event in events:
        c = days[event["date"]]
        if event["kind"] == PerformanceEvent.Kind.COMMENDATION:
            c.commendations += event["n"]
            continue
        c.breaches += event["n"]
        c.breaches_by_kind[event["kind"]] += event["n"]
        if event["staff_id"] in teachers:
            teachers[event["staff_id"]][5] += event["n"]
        else:
            teachers[event["staff_id"]] = [event["staff__name"], 0, 0, 0, 0, event["n"]]
        row = breaches.setdefault(
            (event["staff_id"], event["kind"]),
            [event["staff__name"], str(PerformanceEvent.Kind(event["kind"]).label), 0],
        )
        row[2] += event["n"]

    inspections = list(
        Inspection.objects.filter(school_id=school_id, at__date__range=span)
        .values_list(
            "at", "teacher__name", "kind", "attendance_score", "content_score", "quality_score"
        )
        .order_by("at")
    )
    for at, _name, _kind, a, b, q in inspections:
        c = days[_local_date(at)]
        c.inspections += 1
        c.inspection_points += a + b + q

    incidents = list(
        Incident.objects.filter(school_id=school_id, date__range=span)
        .annotate(children=Count("students"))
        .order_by("at")
        .values_list("date", "kind", "severity", "children", "guardian_notified_at")
    )
    for day, kind, severity, _children, _told in incidents:
        c = days[day]
        c.incidents += 1
        c.incidents_serious += severity != Incident.Severity.MINOR
        c.incidents_by_kind[kind] += 1

    for alert in (
        Alert.objects.filter(school_id=school_id, date__range=span)
        .values("date", "kind")
        .annotate(n=Count("pk"))
    ):
        days[alert["date"]].alerts_by_kind[alert["kind"]] += alert["n"]

    _money(days, term, span)

    listings = []
    if names:
        listings = [
            Listing(
                _("Teachers: attendance and breaches"),
                [
                    _("Teacher"),
                    _("teaching records"),
                    _("held"),
                    _("missed without leave (空堂)"),
                    _("late, early or swapped without approval"),
                    _("breaches recorded"),
                ],
                sorted(teachers.values(), key=lambda row: (-row[5], -row[3], row[0])),
            ),
            Listing(
                _("Breaches"), [_("Teacher"), _("kind"), _("number")], sorted(breaches.values())
            ),
            Listing(
                _("Inspections (查堂)"),
                [
                    _("date"),
                    _("Teacher"),
                    _("kind"),
                    _("attendance"),
                    _("content"),
                    _("quality"),
                    _("total"),
                ],
                [
                    [
                        str(_local_date(at)),
                        name,
                        str(Inspection.Kind(kind).label),
                        a,
                        b,
                        q,
                        a + b + q,
                    ]
                    for at, name, kind, a, b, q in inspections
                ],
            ),
            Listing(
                _("Incidents"),
                [_("date"), _("kind"), _("severity"), _("children involved"), _("guardian told")],
                [
                    [
                        str(day),
                        str(Incident.Kind(kind).label),
                        str(Incident.Severity(sev).label),
                        n,
                        _("yes") if told else _("no"),
                    ]
                    for day, kind, sev, n, told in incidents
                ],
            ),
        ]
    return days, listings


def _local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date()


def _money(days: dict[dt.date, Counts], term: Term, span: tuple[dt.date, dt.date]) -> None:
    """Fold the term's ledger lines of the span (by day, account, kind of entry) into the days."""
    rows = (
        JournalLine.objects.filter(
            school_id=term.school_id, entry__term_id=term.pk, entry__date__range=span
        )
        .annotate(kind=Coalesce("entry__reverses__source_type", "entry__source_type"))
        .values("entry__date", "account__code", "kind")
        .annotate(s=Sum("amount"))
    )
    for r in rows:
        c, code, kind, amount = days[r["entry__date"]], r["account__code"], r["kind"], fen(r["s"])
        if code == "income:service_fees":
            c.charged -= amount
        elif code == "income:waivers":
            c.waived += amount
        elif code == "income:refunds":
            c.refunds += amount
        elif code == "receivable:allocation" and kind == "charge":
            c.allocation += amount
        elif code == "receivable:service" and kind == "payment":
            c.paid -= amount
        elif code.startswith("expense:"):
            c.expenses += amount
            c.expenses_by_account[code] += amount  # type: ignore[assignment]  # a Counter of Decimals
        elif code == "bank":
            if amount > 0:
                c.bank_in += amount
            else:
                c.bank_out -= amount


def pay_deducted(term: Term, start: dt.date, end: dt.date) -> Decimal:
    """Return what the pay runs of the months the span touches deducted (plan 1 deduction ladder).

    A pay run is dated by its month's first day, which may fall before a term starting mid-month.
    """
    total = PayLine.objects.filter(
        run__school_id=term.school_id, run__month__range=(start.replace(day=1), end)
    ).aggregate(s=Sum("deducted"))["s"]
    return fen(total or ZERO)
