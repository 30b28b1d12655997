"""Limits as data: a plan that breaks one is refused, naming the rule, value, limit and gap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from plans import services
from plans.checks import check_limits, facts_for_term
from plans.limits import limits_in_force
from plans.policy import parse_document
from plans.presets import load_preset
from plans.tests.conftest import approved


def _doc(key: str, **changes):
    document = load_preset(key).document
    for path, value in changes.items():
        *head, last = path.split("__")
        target = document
        for part in head:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return parse_document(document)


def test_a_fee_over_the_county_cap_is_refused_in_chinese(term_2022, principal):
    """Plan 1: 每生每学期350元 is the county's cap; 400 is 50 over."""
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    document = plan.document
    document["fees"]["items"][0]["amount"] = "400.00"
    plan = approved(services.update_draft(plan=plan, document=document, acting_user=principal.user))
    with pytest.raises(services.PlanNotPublishable) as exc:
        services.publish(plan=plan, acting_user=principal.user)
    (message,) = exc.value.problems
    assert message == (
        "违反「埇桥区课后服务收费上限（每周5天、每天2小时，每生每学期）」："
        "方案为400.00 元，上限为350.00 元，超出50.00 元。"
    )
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_the_same_breach_reads_in_english(term_2022):
    doc = _doc("p1", fees__items__0__amount="400.00")
    with translation.override("en"):
        (breach,) = check_limits(doc, facts_for_term(term_2022))
        assert (
            "the plan has 400.00 yuan, the limit is 350.00 yuan, 50.00 yuan over" in breach.message
        )


def test_pay_above_the_per_period_cap_is_refused(term_2022):
    """Plan 1: 按每课时不高于60元; a plan cap of 80 is 20 over."""
    doc = _doc("p1", pay__cap_per_period="80.00")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert (breach.path, breach.value, breach.bound, str(breach.difference)) == (
        "pay.cap_per_period",
        doc.pay.cap_per_period,
        60,
        "20.00",
    )
    assert "超出20.00 元" in breach.message


def test_pay_under_a_provincial_floor_is_refused(term_2022):
    """Shandong (reported): at least 50 yuan per period."""
    doc = _doc("p2", pay__rate_per_period="45.00", pay__cap_per_period="45.00")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert "下限为50.00 元，低了5.00 元" in breach.message


def test_a_fee_per_period_over_the_provincial_cap(term_2022):
    doc = _doc("p2", fees__items__0__amount="4.00")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert "方案为4.00 元，上限为3.50 元，超出0.50 元" in breach.message


def test_a_monthly_cap_is_compared_with_the_fee_worked_out_from_the_calendar(term_2026):
    """Autumn 2026 has 84 school days, two of them adjusted weekends whose timetable is not
    announced, so a Monday–Friday window runs on 82 days in 4 months (Sep–Dec).
    8.00 a day × 82 = 656.00 a term = 164.00 a month; Wuhan's primary cap is 130: 34.00 over."""
    doc = _doc(
        "p2", region="CN/湖北/武汉", fees__items__0__basis="day", fees__items__0__amount="8.00"
    )
    facts = facts_for_term(term_2026)
    assert (facts.days(doc.windows), facts.months) == (82, 4)
    (breach,) = check_limits(doc, facts)
    assert "方案为164.00 元，上限为130.00 元，超出34.00 元" in breach.message


def test_an_end_time_before_the_city_rule_is_refused(term_2022):
    doc = _doc("p3", region="CN/河北/石家庄", windows__0__start="15:30", windows__0__end="17:30")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert breach.message == (
        "违反「石家庄市课后服务结束时间不早于18:00」：方案结束时间为17:30，不得早于18:00，早了30 分钟。"
    )


def test_a_short_window_breaks_5_plus_2(term_2022):
    doc = _doc("p4", windows__0__end="18:00")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert "每天 90 分钟" in breach.message and "每天 120 分钟" in breach.message


def test_noon_care_alone_is_not_after_school_service_from_spring_2024(term_2026):
    """Plan 7 (2022) counts noon care 11:10–13:30 as its service; from the spring term of 2024
    noon care is a separate service (2023 four-department notice), so 5+2 is not met."""
    messages = [b.message for b in check_limits(_doc("p7"), facts_for_term(term_2026))]
    assert any("“5+2”" in m and "每周 0 天" in m for m in messages)


def test_plan_7_was_within_the_rules_of_2022(term_2022):
    assert check_limits(_doc("p7"), facts_for_term(term_2022)) == []


def test_meals_must_be_collected_for_the_provider(term_2022):
    doc = _doc("p7", fees__meals__fee_kind="service")
    (breach,) = check_limits(doc, facts_for_term(term_2022))
    assert breach.message == "违反「餐费属于代收费」：方案为服务性收费，应为代收费。"


def test_bundling_noon_care_into_the_after_school_fee_is_refused_from_2024(term_2026):
    doc = _doc("p4", fees__items__0__covers=["after_school", "noon_care"])
    (breach,) = check_limits(doc, facts_for_term(term_2026))
    assert "一个收费项目同时包含课后服务和午托" in breach.message


def test_limits_are_versioned_by_date_and_region():
    before = limits_in_force(region="CN/安徽/宿州/埇桥区", stage="primary", on=dt.date(2023, 9, 1))
    after = limits_in_force(region="CN/安徽/宿州/埇桥区", stage="primary", on=dt.date(2024, 9, 1))
    counted = {lim.id for lim in before if lim.rule == "counted_services"}
    assert counted == {"cn-counted-2017"}
    assert {lim.id for lim in after if lim.rule == "counted_services"} == {"cn-counted-2024"}
    assert "ah-suzhou-yongqiao-term" in {lim.id for lim in after}
    elsewhere = limits_in_force(region="CN/安徽/阜阳", stage="primary", on=dt.date(2024, 9, 1))
    assert "ah-suzhou-yongqiao-term" not in {lim.id for lim in elsewhere}


def test_draft_rules_are_not_enforced():
    assert not [
        lim
        for lim in limits_in_force(region="CN/云南", stage="primary", on=dt.date(2025, 1, 1))
        if lim.rule == "fee_cap_per_term"
    ]
