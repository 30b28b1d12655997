"""What must hold at the end of every simulated term; a breach raises :class:`InvariantError`.

1. The ledger balances: every entry sums to zero, and so does the school's whole book.
2. Every charge is accounted for, child by child (receivable:service):
   charged = paid + waived + refunded + outstanding, where "paid" is payments less the
   settlement's pay-outs, "waived" takes in waivers, the allocation's share and shortfalls not
   collected (多退少不补), and each child's charge is the plan's own figure (``child_fees``).
   After settlement nothing is left owed under a refund-only plan, and no family is owed
   money under any plan.
3. The pay pool is fully allocated: under the pool model (plan 1) the period value is the
   pool ÷ the term's planned periods (capped), and once the term is over the teaching pay of
   all pay runs adds up to the pool (or to cap × periods when capped), to the fen per line;
   under a rate model the value is the plan's rate, capped.
4. No offering holds more children than its capacity.
5. Every injected custody fault was detected at its simulated time, and nothing else was
   flagged: detected == injected per kind, and no false alarm.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from enrollment.models import Choice
from finance.models import JournalEntry, JournalLine
from finance.services import child_fees
from lib.money import ZERO
from payroll.models import PayLine
from payroll.services import period_value
from programs.models import Offering, Session
from staffing.models import TeachingRecord

RECEIVABLE = "receivable:service"


class InvariantError(AssertionError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Simulation invariants broken:\n- " + "\n- ".join(problems))


def ledger_problems(school_id: int) -> list[str]:
    problems = []
    unbalanced = (
        JournalEntry.objects.filter(school_id=school_id)
        .annotate(total=Sum("lines__amount"))
        .exclude(total=0)
        .values_list("pk", "total")
    )
    problems += [f"journal entry {pk} does not balance ({total})" for pk, total in unbalanced]
    total = (
        JournalLine.objects.filter(entry__school_id=school_id).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    if total != 0:
        problems.append(f"the school's book does not balance: {total}")
    return problems


def charge_problems(sim, *, finished: bool) -> list[str]:
    term = sim.term
    parts: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for student_id, source, amount in JournalLine.objects.filter(
        entry__term=term, account__code=RECEIVABLE
    ).values_list("student_id", "entry__source_type", "amount"):
        p = parts[student_id]
        if source == "charge":
            p["charged" if amount > 0 else "waived"] += abs(amount)
        elif source == "payment":
            p["paid"] += -amount
        elif source == "absence_refund":
            p["refunded"] += -amount
        elif source == "settlement":
            if amount > 0:
                p["paid"] -= amount  # the family's excess paid back (多退)
            else:
                p["waived"] += -amount  # a shortfall not collected (少不补)
        else:
            p[f"unknown:{source}"] += amount
        p["outstanding"] += amount
    problems = []
    for student_id, p in parts.items():
        unknown = [k for k in p if k.startswith("unknown:")]
        if unknown:
            problems.append(f"child {student_id}: receivable moved by {unknown}")
        right = p["paid"] + p["waived"] + p["refunded"] + p["outstanding"]
        if p["charged"] != right:
            problems.append(
                f"child {student_id}: charged {p['charged']} ≠ paid {p['paid']} + waived {p['waived']} + "
                f"refunded {p['refunded']} + outstanding {p['outstanding']}"
            )
        if finished and p["outstanding"] < 0:
            problems.append(
                f"child {student_id}: the school still owes the family {-p['outstanding']}"
            )
        if finished and sim.doc.fees.settlement == "refund_only" and p["outstanding"] != 0:
            problems.append(
                f"child {student_id}: {p['outstanding']} left owed under a refund-only plan"
            )
    for child in sim.approved:
        services = {s for s in sim.services if getattr(child, f"wants_{s}", False)}
        gross = sum(
            (
                f.gross
                for f in child_fees(
                    term=term, student=child.student, services=services, doc=sim.doc
                )
            ),
            ZERO,
        )
        if parts[child.student_id]["charged"] != gross:
            problems.append(
                f"child {child.student_id}: charged {parts[child.student_id]['charged']}, the plan says {gross}"
            )
    return problems


def pool_problems(sim, summary, *, finished: bool) -> list[str]:
    term, pay = sim.term, sim.doc.pay
    value, _working = period_value(term)  # unrounded: the summary shows it to 4 places
    problems = []
    if pay.model == "per_period_rate":
        rate = Decimal(pay.rate_per_period or 0)
        expected = (
            min(rate, Decimal(pay.cap_per_period)) if pay.cap_per_period is not None else rate
        )
        if value != expected:
            problems.append(f"period value {value} ≠ the plan's rate {expected}")
        return problems
    working = summary.pool
    periods = working["periods"]
    if working["capped"]:
        if value != Decimal(working["cap"]):
            problems.append(f"capped period value {value} ≠ cap {working['cap']}")
    elif periods and abs(value * periods - Decimal(working["pool"])) > Decimal("0.01"):
        problems.append(f"{value} × {periods} periods ≠ pool {working['pool']}")
    planned = (
        Session.objects.filter(offering__term=term).exclude(status=Session.Status.CANCELLED).count()
    )
    if planned != periods:
        problems.append(f"pool counted {periods} periods, the term has {planned}")
    if finished:
        lines = PayLine.objects.filter(run__term=term, periods__gt=0)
        paid = lines.aggregate(s=Sum("teaching_pay"))["s"] or ZERO
        taught = (
            TeachingRecord.objects.filter(
                school_id=term.school_id,
                outcome__in=TeachingRecord.PAID,
                date__range=(term.start, term.end),
            ).aggregate(s=Sum("periods"))["s"]
            or 0
        )
        target = (
            Decimal(working["cap"]) * periods if working["capped"] else Decimal(working["pool"])
        )
        if taught == periods and abs(paid - target) > Decimal("0.01") * max(lines.count(), 1):
            problems.append(f"teaching pay {paid} does not use up the pool {target}")
        if taught != periods:
            problems.append(f"{taught} periods paid of {periods} planned")
    return problems


def capacity_problems(term) -> list[str]:
    over = (
        Offering.objects.filter(term=term)
        .annotate(n=Count("choices", filter=Q(choices__status=Choice.Status.PLACED)))
        .filter(n__gt=F("capacity"))
        .values_list("name", "n", "capacity")
    )
    return [f"offering {name} holds {n} > capacity {capacity}" for name, n, capacity in over]


def fault_problems(summary) -> list[str]:
    problems = [
        f"{kind}: injected {n}, detected {summary.faults_detected.get(kind, 0)}"
        for kind, n in summary.faults_injected.items()
        if summary.faults_detected.get(kind, 0) != n
    ]
    problems += [f"false alarm: {a}" for a in summary.false_alarms]
    return problems


def check_invariants(sim, summary) -> None:
    finished = summary.finished
    problems = (
        ledger_problems(sim.school.pk)
        + charge_problems(sim, finished=finished)
        + pool_problems(sim, summary, finished=finished)
        + capacity_problems(sim.term)
        + fault_problems(summary)
    )
    if problems:
        raise InvariantError(problems)
