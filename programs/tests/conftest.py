"""A term under a seed preset, with venues and teachers, for the programs tests."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import testing as make
from people.roles import Role
from plans.services import create_draft_from_preset


def term_with_plan(school, preset: str, *, start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 16)):
    term = make.make_term(school, start=start, end=end)
    create_draft_from_preset(term=term, preset_key=preset, acting_user=None)
    return term


@pytest.fixture
def term3(school_a):
    """Plan 3 (grade rules): 28 Sep – 16 Oct 2026, across the National Day week."""
    return term_with_plan(school_a, "p3")


@pytest.fixture
def music_room(school_a):
    return make.make_venue(school_a, name="音乐室", kind="music_room", capacity=40)


@pytest.fixture
def art_room(school_a):
    return make.make_venue(school_a, name="美术室", kind="art_room", capacity=40)


@pytest.fixture
def music_teacher(school_a):
    return make.make_staff(school_a, Role.TEACHER, name="周老师")


@pytest.fixture
def art_teacher(school_a):
    return make.make_staff(school_a, Role.TEACHER, name="吴老师")
