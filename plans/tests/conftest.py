"""Terms and plans shared by the plan tests (personas come from the root conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import testing as make
from plans import services

D = dt.date


@pytest.fixture
def term_2022(school_a):
    """Autumn 2022: the seed plans were written in 2022, under the rules of that year."""
    school_a.complaint_phone = "0557-1234567"
    school_a.save(update_fields=["complaint_phone"])
    return make.make_term(school_a, start=D(2022, 9, 1), end=D(2023, 1, 13))


@pytest.fixture
def term_2026(school_a):
    school_a.complaint_phone = "0557-1234567"
    school_a.save(update_fields=["complaint_phone"])
    return make.make_term(school_a, start=D(2026, 9, 1), end=D(2026, 12, 31))


def approved(plan, user=None):
    """Return ``plan`` approved by a parent committee meeting on 1 Sep."""
    return services.approve(
        plan=plan, meeting_date=plan.term.start, attendance=12, acting_user=user
    )


@pytest.fixture
def published_p1(term_2022, principal):
    plan = services.create_draft_from_preset(
        term=term_2022, preset_key="p1", acting_user=principal.user
    )
    return services.publish(plan=approved(plan, principal.user), acting_user=principal.user)
