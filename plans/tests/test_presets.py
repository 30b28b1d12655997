"""The seven seed plans as presets: each loads, validates, cites its plan, and keeps its numbers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from plans.policy import parse_document
from plans.presets import PRESET_KEYS, load_preset, seed_text


def _plan_sections() -> dict[int, str]:
    """Return the text of each seed plan by number (课后服务实施方案1 … 7)."""
    text = seed_text()
    text = text.split("【课后服务实施方案】相关文章")[0]
    marks = list(re.finditer(r"^\s*课后服务实施方案(\d)\s*$", text, flags=re.M))
    return {
        int(m.group(1)): text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        for i, m in enumerate(marks)
    }


def _leaf_paths(value, prefix: str = "") -> set[str]:
    """Return dotted paths of the leaves of ``value`` (list indices dropped)."""
    if isinstance(value, dict):
        out: set[str] = set()
        for key, sub in value.items():
            out |= _leaf_paths(sub, f"{prefix}.{key}" if prefix else key)
        return out or {prefix}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return set().union(*(_leaf_paths(v, prefix) for v in value))
    return {prefix}


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_it_loads_and_validates_every_preset(key):
    document = parse_document(load_preset(key).document)
    assert document.windows


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_every_citation_quotes_its_own_plan(key):
    preset = load_preset(key)
    section = _plan_sections()[preset.plan_number]
    for path, quotes in preset.sources.items():
        for quote in [quotes] if isinstance(quotes, str) else quotes:
            assert quote in section, f"{key} {path}: not in plan {preset.plan_number}: {quote}"


@pytest.mark.parametrize("key", PRESET_KEYS)
def test_every_field_is_cited_or_a_documented_default(key):
    preset = load_preset(key)
    documented = set(preset.sources) | set(preset.defaults)
    for path in _leaf_paths(preset.document):
        parts = path.split(".")
        assert any(".".join(parts[:n]) in documented for n in range(1, len(parts) + 1)), (
            f"{key}: {path} has neither a source nor a documented default"
        )


def test_plan_1_numbers():
    """Plan 1 一(一): 每生每学期350元; 二(一): 每课时不高于60元; 二(三)1(1): 保安每人每天30元计."""
    doc = parse_document(load_preset("p1").document)
    (fee,) = doc.fees.items
    assert (fee.basis, fee.amount) == ("term", Decimal("350.00"))
    assert doc.pay.model == "pool"
    assert doc.pay.cap_per_period == Decimal("60.00")
    subsidies = {s.post: s.per_day for s in doc.pay.subsidies}
    assert subsidies["guard"] == Decimal("30.00")
    assert subsidies["duty_leader"] == subsidies["cleaner"] == Decimal("0.00")
    # 学生因故缺席课后服务连续一周以上 → refund: more than 5 school days in a row.
    assert doc.fees.refund.after_continuous_absent_days == 5


def test_plan_1_deduction_ladder():
    """Plan 1 二(四): 三次以上扣除当月50%; 交接违规一次10%; 不负责任10%——100%; 重大安全事故50%——100%."""
    ladder = parse_document(load_preset("p1").document).deductions
    rungs = {(r.event, r.min_count_in_month): r for r in ladder}
    assert rungs[("unexcused_absence", 1)].deduct == "that_period"
    assert rungs[("late_early_or_swap", 3)].percent_min == Decimal("50")
    assert rungs[("handover_breach", 1)].percent_min == Decimal("10")
    assert rungs[("handover_breach", 1)].per_occurrence
    neglect = rungs[("neglect", 1)]
    assert (neglect.percent_min, neglect.percent_max) == (Decimal("10"), Decimal("100"))
    accident = rungs[("safety_accident", 1)]
    assert (accident.percent_min, accident.percent_max) == (Decimal("50"), Decimal("100"))


def test_plan_7_numbers():
    """Plan 7 四1: 午托服务按3课时(2小时)计算,起止时间:11:10—13:30; 四3: 30人及以上以原班级编成一个班;
    七1(2): 每天每餐大约15元; 七2: 不超过3元/人/课时."""
    doc = parse_document(load_preset("p7").document)
    (noon,) = doc.windows
    assert noon.kind == "noon_care"
    assert (noon.start.strftime("%H:%M"), noon.end.strftime("%H:%M"), noon.periods) == (
        "11:10",
        "13:30",
        3,
    )
    assert doc.grouping.min_from_one_class == 30
    assert doc.grouping.merge == "adjacent_grades"
    assert doc.fees.meals.price_per_meal == Decimal("15.00")
    assert doc.fees.meals.fee_kind == "collected_for_provider"
    assert doc.fees.meals.billing_within_working_days == 5
    (fee,) = doc.fees.items
    assert (fee.basis, fee.amount) == ("period", Decimal("3.00"))
    assert doc.fees.settlement == "refund_and_top_up"  # 多还少补
    assert doc.safety.insurance_required


def test_plan_3_grades_1_and_2_are_free():
    """Plan 3 (二): 一、二年级安排教师免费看护学生写作业."""
    doc = parse_document(load_preset("p3").document)
    (fee,) = doc.fees.items
    assert 1 not in fee.grades and 2 not in fee.grades
    free = [a for a in doc.content.by_grade if a.free]
    assert free and free[0].grades == [1, 2]


def test_presets_store_money_as_text():
    dumped = parse_document(load_preset("p7").document).dump()
    assert dumped["fees"]["meals"]["price_per_meal"] == "15.00"
    assert dumped["fees"]["items"][0]["amount"] == "3.00"
