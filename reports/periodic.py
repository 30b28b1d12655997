"""Weekly report, monthly summary and term summary (plan 5 五 3: 每周一通报，每月一小结，并进行一次公示).

A report covers a span of the term and is built by a fixed set of aggregate queries
(sessions, teaching records, roll-call marks, performance events, inspections, incidents,
alerts, ledger lines, pay lines), whatever the number of children or sessions: each query
groups by day, and Python folds the days into the period's totals and into its weeks.
The same figures feed the page, the PDF and the workbook (``reports.periodic_files``).

The public version (for the notice board) keeps only totals: no child, guardian or
teacher is named, as on the school's other public pages (plans.views_public,
finance.disclosure), and no money figure beyond what the public accounts publish.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from attendance.models import Alert, Mark
from attendance.models_log import Incident
from finance.ledger import CHART
from finance.models import JournalLine
from lib.money import ZERO, fen
from payroll.models import PayLine
from programs.models import Session
from reports.dashboard import percent
from schools.models import Term
from staffing.models import Inspection, PerformanceEvent, TeachingRecord

WEEK, MONTH, TERM = "week", "month", "term"
ATTENDED = (Mark.Status.PRESENT, Mark.Status.LATE)
HELD = frozenset(TeachingRecord.PAID)
LATE_EARLY_SWAP = frozenset(
    {
        TeachingRecord.Outcome.LATE_START,
        TeachingRecord.Outcome.EARLY_FINISH,
        TeachingRecord.Outcome.UNAPPROVED_SWAP,
    }
)
ALERT_KINDS = ("absent_without_leave", "count_mismatch", "refused_pickup", "incident_escalated")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


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


@dataclass
class Section:
    title: str
    rows: list[tuple[str, int | Decimal | str]]


@dataclass
class Week:
    start: dt.date
    end: dt.date
    counts: Counts


@dataclass
class PeriodReport:
    term: Term
    kind: str
    start: dt.date
    end: dt.date
    key: str
    counts: Counts
    weeks: list[Week]
    show_money: bool
    public: bool
    pay_deducted: Decimal | None = None
    listings: list[Listing] = field(default_factory=list)

    @property
    def heading(self) -> str:
        names = {WEEK: _("Weekly report"), MONTH: _("Monthly summary"), TERM: _("Term summary")}
        suffix = _(" (public notice)") if self.public else ""
        return f"{names[self.kind]}{suffix}"

    @property
    def title(self) -> str:
        return f"{self.term.school.name} · {self.term.name} · {self.heading} · {self.start} – {self.end}"

    def sections(self) -> list[Section]:
        """Return the figures in the one order the page, the PDF and the workbook print."""
        c = self.counts
        sections = [
            Section(
                _("Sessions"),
                [
                    (_("sessions scheduled"), c.sessions_scheduled),
                    (_("sessions cancelled by the school"), c.sessions_cancelled),
                    (_("teaching records (sessions and care-group days)"), c.records),
                    (_("held"), c.held),
                    (_("held by an approved substitute"), c.substituted),
                    (_("periods held"), c.periods_held),
                    (_("delivery rate"), c.delivery_rate),
                ],
            ),
            Section(
                _("Attendance of children"),
                [
                    (_("roll-call marks"), c.marks),
                    (_("present"), c.present),
                    (_("late"), c.late),
                    (_("absent"), c.absent),
                    (_("on leave"), c.leave),
                    (_("attendance rate"), c.attendance_rate),
                ],
            ),
            Section(
                _("Teachers' attendance and breaches"),
                [
                    (_("missed without leave (空堂)"), c.missed),
                    (_("late, early or swapped without approval"), c.late_early_swap),
                    (_("breaches recorded"), c.breaches),
                    *[
                        (str(PerformanceEvent.Kind(k).label), c.breaches_by_kind[k])
                        for k in _breach_kinds()
                    ],
                    (_("commendations"), c.commendations),
                ],
            ),
            Section(
                _("Inspections (查堂)"),
                [
                    (_("inspections"), c.inspections),
                    (_("average score (of 30)"), c.inspection_average),
                ],
            ),
            Section(
                _("Incidents and alerts"),
                [
                    (_("incidents"), c.incidents),
                    (_("serious or critical"), c.incidents_serious),
                    *[
                        (str(Incident.Kind(k).label), c.incidents_by_kind[k])
                        for k in Incident.Kind.values
                    ],
                    *[(_alert_label(k), c.alerts_by_kind[k]) for k in ALERT_KINDS],
                ],
            ),
        ]
        if self.pay_deducted is not None and not self.public:
            sections[2].rows.append(
                (_("deducted in the month's pay runs (yuan)"), self.pay_deducted)
            )
        if self.show_money and not self.public:
            sections.append(
                Section(
                    _("Money (yuan)"),
                    [
                        (_("charged"), c.charged),
                        (_("waived"), c.waived),
                        (_("government allocation's share"), c.allocation),
                        (_("paid by families"), c.paid),
                        (_("refunded"), c.refunds),
                        (_("expenses"), c.expenses),
                        *[
                            (CHART[code][1], fen(c.expenses_by_account[code]))
                            for code in sorted(c.expenses_by_account)
                        ],
                        (_("received into the bank"), c.bank_in),
                        (_("paid out of the bank"), c.bank_out),
                    ],
                )
            )
        return sections

    def week_rows(self) -> list[list]:
        """Return one row per week of a monthly or term summary (its figures add up to the total)."""
        return [
            [
                f"{w.start} – {w.end}",
                w.counts.sessions_scheduled,
                w.counts.held,
                w.counts.marks,
                w.counts.attendance_rate,
                w.counts.breaches,
                w.counts.inspections,
                w.counts.incidents,
            ]
            for w in self.weeks
        ]

    @staticmethod
    def week_headers() -> list[str]:
        return [
            _("Week"),
            _("sessions scheduled"),
            _("held"),
            _("roll-call marks"),
            _("attendance rate"),
            _("breaches recorded"),
            _("inspections"),
            _("incidents"),
        ]


def _breach_kinds() -> list[str]:
    return [k for k in PerformanceEvent.Kind.values if k != PerformanceEvent.Kind.COMMENDATION]


def _alert_label(kind: str) -> str:
    labels = {
        "absent_without_leave": _("alerts: absent without a leave note"),
        "count_mismatch": _("alerts: hand-over count did not match"),
        "refused_pickup": _("alerts: pickup refused"),
        "incident_escalated": _("alerts: incident escalated"),
    }
    return labels[kind]


# --- the span ---------------------------------------------------------------------------


def span_of(term: Term, kind: str, key: str) -> tuple[dt.date, dt.date]:
    """Return the period (clipped to the term) a URL key names, or 404 with the reason."""
    if kind == TERM:
        return term.start, term.end
    try:
        if kind == WEEK:
            start = dt.date.fromisoformat(key)
            if start.weekday() != 0:
                raise Http404(_("A week starts on a Monday; %(day)s is not one.") % {"day": key})
            end = start + dt.timedelta(days=6)
        else:
            year, month = (int(part) for part in key.split("-"))
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, TypeError):
        raise Http404(
            _("%(key)s is not a date of the form the link uses.") % {"key": key}
        ) from None
    if end < term.start or start > term.end:
        raise Http404(_("%(key)s is outside the term.") % {"key": key})
    return max(start, term.start), min(end, term.end)


def weeks_of(term: Term) -> list[dt.date]:
    """Return the Mondays of the weeks that overlap the term."""
    first = monday(term.start)
    return [first + dt.timedelta(weeks=i) for i in range((term.end - first).days // 7 + 1)]


def months_of(term: Term) -> list[str]:
    months, day = [], term.start.replace(day=1)
    while day <= term.end:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


# --- the figures ------------------------------------------------------------------------


def _days(
    term: Term, start: dt.date, end: dt.date, *, names: bool
) -> tuple[dict[dt.date, Counts], list[Listing]]:
    """Return the span's counts per day (and the named listings) from nine aggregate queries."""
    school_id, span = term.school_id, (start, end)
    days: dict[dt.date, Counts] = defaultdict(Counts)

    for r in (
        Session.objects.filter(school_id=school_id, date__range=span)
        .values("date", "status")
        .annotate(n=Count("pk"))
    ):
        c = days[r["date"]]
        if r["status"] == Session.Status.CANCELLED:
            c.sessions_cancelled += r["n"]
        else:
            c.sessions_scheduled += r["n"]

    teachers: dict[int, list] = {}
    records = (
        TeachingRecord.objects.filter(school_id=school_id, date__range=span)
        .values("date", "outcome", "teacher_id", "teacher__name")
        .annotate(n=Count("pk"), p=Coalesce(Sum("periods"), 0))
    )
    for r in records:
        c, outcome, n = days[r["date"]], r["outcome"], r["n"]
        c.records += n
        c.held += n if outcome in HELD else 0
        c.periods_held += r["p"] if outcome in HELD else 0
        c.substituted += n if outcome == TeachingRecord.Outcome.SUBSTITUTE else 0
        c.missed += n if outcome == TeachingRecord.Outcome.MISSED else 0
        c.late_early_swap += n if outcome in LATE_EARLY_SWAP else 0
        c.not_held += n if outcome == TeachingRecord.Outcome.NOT_HELD else 0
        row = teachers.setdefault(r["teacher_id"], [r["teacher__name"], 0, 0, 0, 0, 0])
        row[1] += n
        row[2] += n if outcome in HELD else 0
        row[3] += n if outcome == TeachingRecord.Outcome.MISSED else 0
        row[4] += n if outcome in LATE_EARLY_SWAP else 0

    marks = (
        Mark.objects.filter(roll_call__school_id=school_id, roll_call__date__range=span)
        .values("roll_call__date", "status")
        .annotate(n=Count("pk"))
    )
    for r in marks:
        c = days[r["roll_call__date"]]
        c.marks += r["n"]
        setattr(c, r["status"], getattr(c, r["status"]) + r["n"])

    breaches: dict[tuple[int, str], list] = {}
    events = (
        PerformanceEvent.objects.filter(school_id=school_id, date__range=span, overridden=False)
        .values("date", "kind", "staff_id", "staff__name")
        .annotate(n=Count("pk"))
    )
    for r in events:
        c = days[r["date"]]
        if r["kind"] == PerformanceEvent.Kind.COMMENDATION:
            c.commendations += r["n"]
            continue
        c.breaches += r["n"]
        c.breaches_by_kind[r["kind"]] += r["n"]
        if r["staff_id"] in teachers:
            teachers[r["staff_id"]][5] += r["n"]
        else:
            teachers[r["staff_id"]] = [r["staff__name"], 0, 0, 0, 0, r["n"]]
        row = breaches.setdefault(
            (r["staff_id"], r["kind"]),
            [r["staff__name"], str(PerformanceEvent.Kind(r["kind"]).label), 0],
        )
        row[2] += r["n"]

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

    for r in (
        Alert.objects.filter(school_id=school_id, date__range=span)
        .values("date", "kind")
        .annotate(n=Count("pk"))
    ):
        days[r["date"]].alerts_by_kind[r["kind"]] += r["n"]

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
    from django.utils import timezone

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
            c.expenses_by_account[code] += amount
        elif code == "bank":
            if amount > 0:
                c.bank_in += amount
            else:
                c.bank_out -= amount


def _pay_deducted(term: Term, start: dt.date, end: dt.date) -> Decimal:
    """Return what the pay runs of the months starting in the span deducted (plan 1 deduction ladder)."""
    total = PayLine.objects.filter(
        run__school_id=term.school_id, run__month__range=(start, end)
    ).aggregate(s=Sum("deducted"))["s"]
    return fen(total or ZERO)


def period_report(
    term: Term, kind: str, key: str = "", *, show_money: bool, public: bool = False
) -> PeriodReport:
    """Return the report of the span ``kind``/``key`` names (404 when it is not in the term)."""
    start, end = span_of(term, kind, key)
    days, listings = _days(term, start, end, names=not public)
    total = sum(days.values(), Counts())
    weeks: list[Week] = []
    if kind != WEEK:
        buckets: dict[dt.date, Counts] = defaultdict(Counts)
        for day, counts in days.items():
            buckets[monday(day)] += counts
        weeks = [
            Week(max(m, start), min(m + dt.timedelta(days=6), end), buckets[m])
            for m in weeks_of(term)
            if m + dt.timedelta(days=6) >= start and m <= end
        ]
    report = PeriodReport(
        term=term,
        kind=kind,
        start=start,
        end=end,
        key=key,
        counts=total,
        weeks=weeks,
        show_money=show_money,
        public=public,
        listings=listings,
    )
    if kind != WEEK and not public:
        report.pay_deducted = _pay_deducted(term, start, end)
    return report
