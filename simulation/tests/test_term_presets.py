"""A short term under each seed plan, played through the services: invariants and hand figures.

Every run is two weeks (``weeks=2``). Autumn 2026: Tuesday 1 – Friday 11 September = 9 school
days (no holiday). Plan 7 is simulated in its own term, spring 2022: Monday 14 – Friday 25
February = 10 school days. Every preset's window counts as 3 periods a day (16:30–18:30, or
plan 7's 11:10–13:30 按3课时计算), so a care group has 27 (autumn) or 30 (spring) sessions.
``simulate_term`` raises when an invariant breaks, so a returned summary means they held.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from enrollment.models import ChildApplication
from finance.models import JournalLine
from payroll.models import PayLine
from people.models import User
from plans.models import SchoolPlan
from schools.demo import DEMO_PASSWORD
from schools.models import School
from simulation.invariants import InvariantError, fault_problems, ledger_problems
from simulation.term import CUSTODY_KINDS, FAULT_KINDS, parse_faults, simulate_term
from staffing.models import PerformanceEvent

D = Decimal
STUDENTS = 30


def charged_by_child(term_id: int) -> dict[int, Decimal]:
    rows = JournalLine.objects.filter(
        entry__term_id=term_id,
        entry__source_type="charge",
        account__code="receivable:service",
        amount__gt=0,
    ).values_list("student_id", "amount")
    return dict(rows)


def approved(term_id: int) -> list[ChildApplication]:
    return list(
        ChildApplication.objects.filter(
            term_id=term_id, status=ChildApplication.Status.APPROVED
        ).select_related("student__school_class")
    )


def lines(term_id: int) -> dict[str, PayLine]:
    return {
        line.staff.name: line
        for line in PayLine.objects.filter(run__term_id=term_id).select_related("staff")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("preset", ["p1", "p2", "p3", "p4", "p5", "p6", "p7"])
def test_a_fault_free_term_under_each_preset(preset):
    s = simulate_term(preset, STUDENTS, 1, weeks=2)
    assert s.finished and s.false_alarms == []
    assert set(s.faults_injected.values()) == {0} and set(s.faults_detected.values()) == {0}
    days = 10 if preset == "p7" else 9
    assert s.days == days
    sessions = 3 * days * s.care_groups
    assert s.sessions == sessions
    children = approved(s.term_id)
    assert s.approved == len(children) > 0
    charged = charged_by_child(s.term_id)
    for child in children:
        grade = child.student.school_class.grade
        if preset == "p1":
            # Plan 1: 课后服务费按学期收取 … 最高限额为每生每学期350元 (a term fee, not prorated).
            expected = D("350.00")
        elif preset == "p3" and grade <= 2:
            # Plan 3 (default from its text): grades 1–2 pay nothing (免费看护).
            expected = None
        else:
            # 3.00 a period (plan 7: 不超过3元/人/课时; plans 2–6 default to plan 7's figure)
            # × 3 periods a day × the school days.
            expected = D("3.00") * 3 * days
        assert charged.get(child.student_id) == expected, (preset, grade)
    pay = lines(s.term_id)
    if preset == "p1":
        # Plan 1's pool: (fees − management subsidies) ÷ periods, capped at 60 a period. Fees are
        # 350 × each paying child; the guard's subsidy is 30 a day (保安每人每天30元) × 9 days = 270.
        paying = sum(1 for c in children if not c.student.is_low_income)
        pool = D("350.00") * paying - D("270.00")
        assert s.pool["subsidies"] == "270.00" and s.pool["pool"] == f"{pool:.2f}"
        assert s.pool["periods"] == sessions and pool / sessions > 60  # so the cap binds
        assert s.period_value == "60.0000" and s.pool["capped"]
        assert pay["保安"].net == D("270.00")
        assert sum(line.teaching_pay for line in pay.values()) == 60 * sessions
    else:
        # Plans 2–7 name no pay: 50.00 a period (the preset's default); every period is paid.
        assert s.period_value == "50.0000"
        for line in pay.values():
            assert line.teaching_pay == 50 * line.periods
        assert sum(line.periods for line in pay.values()) == sessions
    if preset == "p7":
        # Plan 7: 每天每餐大约15元, billed monthly; a child's lunch is 15 × (10 − days on leave).
        meals = dict(
            JournalLine.objects.filter(
                entry__term_id=s.term_id,
                entry__source_type="meal_bill",
                account__code="receivable:meals",
            ).values_list("student_id", "amount")
        )
        from attendance.models import LeaveNote

        for child in children:
            away = LeaveNote.objects.filter(student=child.student, session__isnull=True).count()
            assert meals[child.student_id] == D("15.00") * (10 - away)
        assert s.money["payable:meal_vendor"] == "0.00"  # all passed on to the provider (代收费)
        assert s.money["receivable:meals"] == "0.00"


@pytest.mark.django_db
def test_faults_are_all_detected_at_their_time_and_plan_1_deductions_follow():
    """Every kind injected: the duty screen, alerts and lateness records find each one."""
    rates = {
        "missed_handover": 0.15,
        "count_mismatch": 0.15,
        "unauthorised_pickup": 0.03,
        "absent_without_note": 0.03,
        "late_pickup": 0.03,
        "late_teacher": 0.02,
    }
    s = simulate_term("p1", STUDENTS, 1, faults=rates, weeks=2)
    assert all(s.faults_injected[k] > 0 for k in (*CUSTODY_KINDS, "late_teacher")), (
        s.faults_injected
    )
    assert s.faults_detected == s.faults_injected
    assert s.false_alarms == []
    # Plan 1: 迟到、早退…一次，扣除当天当节 — each late start costs that period (60.00, the
    # capped value); 违规一次扣除当月10% — each hand-over breach costs 10 % of the month's
    # teaching pay (fewer than 3 in the month here, so the 50 % rung does not apply).
    events = PerformanceEvent.objects.filter(school_id=s.school_id)
    checked = 0
    for line in PayLine.objects.filter(run__term_id=s.term_id):
        rules = {d["rule"]: D(d["amount"]) for d in line.deductions}
        late = events.filter(staff_id=line.staff_id, kind="late_early_or_swap").count()
        breaches = events.filter(staff_id=line.staff_id, kind="handover_breach").count()
        if 0 < late < 3:
            assert rules[f"late_early_or_swap: {late} × that period"] == D("60.00") * late
            checked += 1
        if 0 < breaches < 3:
            assert rules[f"handover_breach: {10 * breaches}% of the month"] == (
                line.teaching_pay * D("0.10") * breaches
            ).quantize(D("0.01"))
            checked += 1
        assert line.deducted == sum(rules.values(), D("0.00"))
    assert checked >= 2


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_term():
    a = simulate_term("p2", 12, 5, faults="0.05", weeks=1)
    b = simulate_term("p2", 12, 5, faults="0.05", weeks=1)
    keep = (
        "charged",
        "paid",
        "faults_injected",
        "faults_detected",
        "attendance",
        "deductions_by_rule",
    )
    assert [getattr(a, k) for k in keep] == [getattr(b, k) for k in keep]


@pytest.mark.django_db
def test_the_command_writes_the_summary(tmp_path):
    out = tmp_path / "term.json"
    call_command(
        "simulate_term",
        preset="p6",
        students=12,
        seed=2,
        faults="late_pickup=0.1",
        weeks=1,
        json_path=str(out),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["preset"] == "p6" and data["finished"]
    assert data["faults_detected"]["late_pickup"] == data["faults_injected"]["late_pickup"]
    assert {
        "money",
        "pay_per_teacher",
        "deductions_by_rule",
        "refunds",
        "attendance",
        "timings",
    } <= set(data)


def test_bad_fault_rates_are_refused_with_a_message():
    assert parse_faults("0.1") == dict.fromkeys(FAULT_KINDS, 0.1)
    assert parse_faults("late_pickup=0.05,missed_handover=0.02") == {
        "late_pickup": 0.05,
        "missed_handover": 0.02,
    }
    with pytest.raises(CommandError, match="Unknown fault kind"):
        call_command("simulate_term", faults="lost_child=0.1")
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("simulate_term", faults="2")


def test_invariants_fail_loudly():
    class Summary:
        faults_injected = {"late_pickup": 2}
        faults_detected = {"late_pickup": 1}
        false_alarms = ["2026-09-02 18:46 after_school: child 7 unaccounted"]

    problems = fault_problems(Summary())
    assert problems == [
        "late_pickup: injected 2, detected 1",
        "false alarm: 2026-09-02 18:46 after_school: child 7 unaccounted",
    ]
    with pytest.raises(InvariantError, match="late_pickup: injected 2, detected 1"):
        raise InvariantError(problems)


@pytest.mark.django_db
def test_an_unbalanced_entry_is_found():
    s = simulate_term("p4", 12, 3, weeks=1)
    entry = JournalLine.objects.filter(entry__term_id=s.term_id).first().entry
    JournalLine.objects.create(
        entry=entry, school_id=s.school_id, account=entry.lines.first().account, amount=D("0.01")
    )
    assert ledger_problems(s.school_id)[0].startswith(f"journal entry {entry.pk} does not balance")


@pytest.mark.django_db
def test_until_stops_the_term_before_settlement():
    """--until: the days up to that date are played; no settlement, no public accounts yet."""
    s = simulate_term("p5", 12, 4, faults="0.05", until=dt.date(2026, 9, 2), weeks=2)
    assert (s.days, s.last_day, s.finished) == (2, "2026-09-02", False)
    assert s.settlement == {"entries": 0} and s.public_accounts == []
    assert s.faults_detected == s.faults_injected


@pytest.mark.django_db
def test_the_seven_plan_demo_loads_schools_up_to_a_date(capsys):
    call_command("simulate_demo", presets="p1,p3", students=12, until="2026-09-02")
    schools = list(School.objects.filter(district__code="SIM-PLANS").order_by("pk"))
    assert len(schools) == 2
    assert [SchoolPlan.objects.get(term__school=s).preset_key for s in schools] == ["p1", "p3"]
    assert User.objects.get(username="p3-principal").check_password(DEMO_PASSWORD)
    call_command(
        "simulate_demo", presets="p1", if_empty=True
    )  # a rerun of `make demo` changes nothing
    assert School.objects.filter(district__code="SIM-PLANS").count() == 2
