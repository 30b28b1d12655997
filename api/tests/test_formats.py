"""Wire formats promised in the API description: local date-times and money as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ninja import Schema
from pydantic import ValidationError

from api.schemas import LocalDateTime, Money


class Sample(Schema):
    at: LocalDateTime
    fee: Money


def test_datetimes_are_shown_in_shanghai_time_with_the_offset():
    sample = Sample(at=dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC), fee=Decimal("350.00"))
    assert sample.model_dump()["at"] == "2026-09-01T16:30:00+08:00"


def test_money_is_a_string_with_two_places():
    dumped = Sample(at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC), fee=Decimal("350")).model_dump()
    assert dumped["fee"] == "350.00"
    assert (
        Sample(at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC), fee=Decimal("-12.5")).model_dump()["fee"]
        == "-12.50"
    )


def test_money_is_never_rounded_on_the_way_out():
    sample = Sample(at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC), fee=Decimal("0.005"))
    with pytest.raises((ValueError, ValidationError)):
        sample.model_dump()


def test_the_schema_documents_both_as_strings():
    props = Sample.model_json_schema(mode="serialization")["properties"]
    assert props["at"]["type"] == props["fee"]["type"] == "string"
    assert props["fee"]["pattern"] == r"^-?\d+\.\d{2}$"
