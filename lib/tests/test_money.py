"""The money helpers: half-up to the fen, and splits whose parts always add up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.money import fen, percent_of, split, yuan

D = Decimal


def test_half_up_to_the_fen():
    assert fen(D("0.005")) == D("0.01")
    assert fen(D("2.675")) == D("2.68")
    assert fen(D("-0.005")) == D("-0.01")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        fen(0.1)


def test_percent_of():
    assert percent_of(D("350.00"), 50) == D("175.00")
    assert percent_of(D("3.00"), D("33.3")) == D("1.00")


def test_split_100_yuan_three_ways():
    """100.00 / 3 = 33.333…: the first part takes the extra fen."""
    assert split(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]


def test_split_by_periods():
    """A pool of 1000.00 over 7, 5 and 3 periods: 466.666…, 333.333…, 200.00."""
    assert split(D("1000.00"), [7, 5, 3]) == [D("466.67"), D("333.33"), D("200.00")]


@given(
    st.decimals(min_value=-100000, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
)
def test_parts_always_add_up(total, weights):
    parts = split(total, weights)
    assert sum(parts, D(0)) == fen(total)
    assert all(p == fen(p) for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


def test_yuan_text():
    assert yuan(D("350")) == "350.00"
