"""Weekly report, monthly summary and term summary (plan 5 五 3: 每周一通报，每月一小结，并进行一次公示).

A report covers a span of the term and is built by a fixed set of aggregate queries
(sessions, teaching records, roll-call marks, performance events, inspections, incidents,
alerts, ledger lines, pay lines), whatever the number of children or sessions: each query
groups by day, and Python folds the days into the period's totals and into its weeks.
The queries live in ``reports.periodic_figures``; the same figures feed the page, the PDF
and the workbook (``reports.periodic_files``).

The public version (for the notice board) keeps only totals: no child, guardian or
teacher is named, as on the school's other public pages (plans.views_public,
finance.disclosure), and no money figure beyond what the public accounts publish.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from attendance.models_log import Incident
from finance.ledger import CHART
from lib.money import fen
from reports.periodic_figures import ALERT_KINDS, Counts, Listing, day_figures, pay_deducted
from schools.models import Term
from staffing.models import PerformanceEvent

WEEK, MONTH, TERM = "week", "month", "term"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


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
                        (
                            _("breaches: %(kind)s") % {"kind": PerformanceEvent.Kind(k).label},
                            c.breaches_by_kind[k],
                        )
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


def period_report(
    term: Term, kind: str, key: str = "", *, show_money: bool, public: bool = False
) -> PeriodReport:
    """Return the report of the span ``kind``/``key`` names (404 when it is not in the term)."""
    start, end = span_of(term, kind, key)
    days, listings = day_figures(term, start, end, names=not public)
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
        report.pay_deducted = pay_deducted(term, start, end)
    return report
