"""Plan 1's pay: the pool formula to the fen, the 60-yuan cap, and the deduction ladder.

Plan 1 二(三)2: (课后服务费总额—管理服务补助费—校外人员劳务报酬支出—消耗品购置、场地维护支出)
÷全校本学期总课时数×教师本学期实际上课节数; 二(一): 每课时不高于60元; 绩效考核 2–6.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lib.money import fen
from payroll.formula import Event, Pool, deductions, pool_shares
from plans.policy import DeductionRule, parse_document
from plans.presets import load_preset

D = Decimal
P1 = parse_document(load_preset("p1").document)


def test_pool_per_period_and_each_teachers_share():
    """60 children × 350 = 21,000.00 collected. Two guards at 30 a day for 20 days = 1,200.00;
    external instructor 1,800.00; consumables and upkeep 600.00. Pool = 17,400.00 over 600
    periods = 29.00 a period (under the 60 cap). Teachers with 250, 200 and 150 periods get
    7,250.00, 5,800.00 and 4,350.00."""
    pool = Pool(D("21000.00"), D("1200.00"), D("1800.00"), D("600.00"), 600, D(P1.pay.cap_per_period))
    assert pool.amount == D("17400.00") and pool.uncapped_rate == D("29") and not pool.capped
    assert pool_shares(pool, {1: 250, 2: 200, 3: 150}) == {1: D("7250.00"), 2: D("5800.00"), 3: D("4350.00")}
    assert pool.left_in_fund == D("0.00")


def test_uneven_pool_is_split_to_the_fen():
    """1,000.00 over 7, 5 and 3 periods: 466.666…, 333.333…, 200.00 → the extra fen to the
    largest remainder: 466.67 + 333.33 + 200.00 = 1,000.00."""
    pool = Pool(D("1000.00"), D(0), D(0), D(0), 15, D("100"))  # 66.67 a period, under this cap
    assert pool_shares(pool, {1: 7, 2: 5, 3: 3}) == {1: D("466.67"), 2: D("333.33"), 3: D("200.00")}


def test_the_cap_binds_and_the_rest_stays_in_the_fund():
    """50,000.00 collected, same costs: pool 46,400.00 / 600 periods = 77.33 a period > 60.
    Teachers share 60 × 600 = 36,000.00; 10,400.00 stays in the fund."""
    pool = Pool(D("50000.00"), D("1200.00"), D("1800.00"), D("600.00"), 600, D("60"))
    assert pool.capped
    assert (pool.paid_out, pool.left_in_fund) == (D("36000.00"), D("10400.00"))
    assert pool_shares(pool, {1: 250, 2: 200, 3: 150}) == {1: D("15000.00"), 2: D("12000.00"), 3: D("9000.00")}


MONTH_PAY = D("1450.00")  # 50 periods at 29.00
RATE = D("29.00")


def _deduct(*events):
    return deductions(P1.deductions, list(events), month_pay=MONTH_PAY, period_value=RATE)


def test_unexcused_absence_costs_that_period():
    [d] = _deduct(Event("unexcused_absence", periods=1))
    assert d.amount == D("29.00")


def test_two_lates_cost_their_periods_three_cost_half_the_month():
    """绩效考核 3: 迟到、早退或私自调课一次，扣除当天当节 …; 当月达到三次以上 → 扣除当月50%."""
    assert sum(d.amount for d in _deduct(*[Event("late_early_or_swap", periods=1)] * 2)) == D("58.00")
    assert sum(d.amount for d in _deduct(*[Event("late_early_or_swap", periods=1)] * 3)) == D("725.00")


def test_hand_over_breaches_ten_percent_each_three_cost_half():
    """绩效考核 4: 违规一次扣除当月10% …, 三次以上 → 50%."""
    assert sum(d.amount for d in _deduct(Event("handover_breach"))) == D("145.00")
    assert sum(d.amount for d in _deduct(*[Event("handover_breach")] * 2)) == D("290.00")
    assert sum(d.amount for d in _deduct(*[Event("handover_breach")] * 3)) == D("725.00")


def test_neglect_and_accident_stay_within_the_plans_range():
    assert _deduct(Event("neglect", percent=D("30")))[0].amount == D("435.00")
    assert _deduct(Event("neglect", percent=D("5")))[0].amount == D("145.00")  # raised to the 10 % floor
    assert _deduct(Event("safety_accident"))[0].amount == D("725.00")  # 50 % unless decided higher


def test_combined_deductions_never_exceed_the_month():
    """Three lates (725.00) + three breaches (725.00) + neglect 30 % (435.00) = 1,885.00 > 1,450.00:
    the total is cut to the month's pay, net 0.00."""
    result = _deduct(*[Event("late_early_or_swap", periods=1)] * 3, *[Event("handover_breach")] * 3,
                     Event("neglect", percent=D("30")))
    assert sum(d.amount for d in result) == MONTH_PAY
    assert [d.amount for d in result] == [D("725.00"), D("725.00"), D("0.00")]


@given(
    fees=st.decimals(min_value=0, max_value=200000, places=2),
    costs=st.lists(st.decimals(min_value=0, max_value=20000, places=2), min_size=3, max_size=3),
    periods=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=20).filter(lambda p: sum(p) > 0),
    events=st.lists(st.sampled_from(["unexcused_absence", "late_early_or_swap", "handover_breach", "neglect", "safety_accident"]),
                    max_size=12),
)
def test_pool_fully_allocated_and_nets_never_negative(fees, costs, periods, events):
    pool = Pool(fees, costs[0], costs[1], costs[2], sum(periods), D("60"))
    shares = pool_shares(pool, dict(enumerate(periods)))
    assert sum(shares.values(), D(0)) + pool.left_in_fund == fen(pool.amount)
    for teacher, share in shares.items():
        rate = share / periods[teacher] if periods[teacher] else D(0)
        cut = deductions(P1.deductions, [Event(k, periods=1, percent=D("100")) for k in events],
                         month_pay=share, period_value=rate)
        assert share - sum(d.amount for d in cut) >= 0
        assert all(d.amount == fen(d.amount) for d in cut)


def test_rules_are_read_from_the_plan_not_hard_coded():
    stricter = [DeductionRule(event="handover_breach", deduct="month_percent", per_occurrence=True, percent_min="20")]
    [d] = deductions(stricter, [Event("handover_breach")], month_pay=MONTH_PAY, period_value=RATE)
    assert d.amount == D("290.00")
