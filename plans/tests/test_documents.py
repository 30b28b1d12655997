"""The document's value types, the published plan of a term, and what stays out of the code."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plans import services
from plans.policy import PlanInvalid, parse_document
from plans.policy_types import money_text, to_money
from plans.presets import load_preset
from plans.selectors import published_plan_for
from plans.tests.conftest import approved

PLANS_DIR = Path(__file__).resolve().parent.parent


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips_through_its_text(amount):
    assert to_money(money_text(amount)) == amount


@pytest.mark.parametrize("bad", [350.5, "350.123", "-1.00", "abc", "NaN"])
def test_money_refuses_floats_fractions_of_a_fen_and_nonsense(bad):
    document = load_preset("p1").document
    document["fees"]["items"][0]["amount"] = bad
    with pytest.raises(PlanInvalid) as exc:
        parse_document(document)
    assert exc.value.errors[0][0] == "fees.items.0.amount"


def test_unknown_fields_and_roles_are_refused():
    document = load_preset("p1").document
    document["fees"]["refund_days"] = 5
    document["pay"]["subsidies"][0]["post"] = "janitor"
    with pytest.raises(PlanInvalid) as exc:
        parse_document(document)
    assert {path for path, _message in exc.value.errors} == {
        "fees.refund_days",
        "pay.subsidies.0.post",
    }


def test_the_plan_in_force_is_the_latest_published_version(published_p1, principal):
    draft = services.new_draft_from(plan=published_p1, acting_user=principal.user)
    assert published_plan_for(published_p1.term) == published_p1
    second = services.publish(plan=approved(draft), acting_user=principal.user)
    assert published_plan_for(published_p1.term) == second
    assert second.version == 2


def test_no_seed_figure_is_written_into_the_code():
    """Rules come from the plan document: the seed plans' figures live in presets/ only."""
    figures = re.compile(r"(?<![\d.])(350|11:10|13:30|15\.00|30\.00|60\.00)(?![\d])")
    for path in PLANS_DIR.glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            assert not figures.search(code), f"{path.name}:{number}: {line.strip()}"


def test_the_notice_costs_a_fixed_number_of_queries(
    client, published_p1, django_assert_max_num_queries
):
    url = reverse("plans:notice", args=[published_p1.school.code, published_p1.term_id])
    with django_assert_max_num_queries(3):
        assert client.get(url).status_code == 200


def test_the_plan_list_costs_a_fixed_number_of_queries(
    as_user, principal, published_p1, django_assert_max_num_queries
):
    for _n in range(3):
        services.new_draft_from(plan=published_p1, acting_user=principal.user)
    client = as_user(principal)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:list")).status_code == 200


def test_published_money_is_stored_as_text(published_p1):
    assert published_p1.document["fees"]["items"][0]["amount"] == "350.00"
    assert Decimal(published_p1.document["pay"]["cap_per_period"]) == Decimal("60")


def test_the_command_line_check_names_the_breach(term_2026, capsys):
    from django.core.management import call_command

    with pytest.raises(SystemExit):
        call_command("plan_check", term=term_2026.pk, preset="p7")
    assert "“5+2”" in capsys.readouterr().out
    call_command("plan_check", term=term_2026.pk, preset="p1")
    assert "OK" in capsys.readouterr().out


def test_later_features_read_the_rules_in_force(published_p1, term_2026):
    from plans.selectors import policy_for

    assert policy_for(published_p1.term).fees.refund.after_continuous_absent_days == 5
    assert policy_for(term_2026) is None
