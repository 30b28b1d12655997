"""The access matrix: every URL of Kehou, requested by every kind of person.

The walk enumerates the URL resolver (pages and the API alike). For each pattern it fills
path parameters with an id nobody has, and records the status each persona gets:

- anonymous → the login page (302) or 401 for the API, unless the page is public;
- a signed-in person never gets a 500, and never a 200 for an id that is not theirs;
- the statuses must equal the table in ``access_matrix_expected.py``, so a new URL, or a
  changed permission, fails this test until someone looks at it and updates the table.
"""

from __future__ import annotations

import pprint
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kehou.tests.access_matrix_expected import EXPECTED
from people.models import Guardian, Staff
from people.roles import Role
from schools.demo import seed_demo
from schools.models import School, Term
from simulation.demo_term import bring_term_to_life

MISSING_ID = "987654"
PERSONAS = ("anonymous", "guardian", "head_teacher", "principal", "finance", "guard", "district")
# Django's own admin is checked by Django; its hundreds of model URLs are left out here.
SKIP = re.compile(r"^admin/")


def walk(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def concrete(route: str) -> str | None:
    """Turn a route into a path: ints and strings get values nobody has; regexes are skipped."""
    if route.startswith("^") or "(?P" in route:
        return None
    path = re.sub(r"<int:\w+>", MISSING_ID, route)
    path = re.sub(r"<(?:str|slug):\w+>", "nobody", path)
    path = re.sub(r"<path:\w+>", "nobody", path)
    return None if "<" in path else "/" + path


@pytest.fixture
def clients(db):
    seed_demo(schools=2, students=150, seed=7)
    school = School.objects.order_by("code").first()
    bring_term_to_life(school=school, term=Term.objects.get(school=school), seed=7)
    users = {
        "guardian": Guardian.objects.filter(user__isnull=False).first().user,
        "head_teacher": Staff.objects.get(user__username="teacher").user,
        "principal": Staff.objects.get(user__username="principal").user,
        "finance": Staff.objects.get(user__username="finance").user,
        "guard": Staff.objects.filter(school=school, roles__role=Role.GUARD, user__isnull=False).first().user,
    }
    from people.models import User

    users["district"] = User.objects.get(username="district")
    out = {"anonymous": Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user, backend="people.auth.UsernameOrPhoneBackend")
        out[name] = client
    return out


def test_every_url_answers_each_persona_as_the_table_says(clients):
    observed: dict[str, dict[str, int]] = {}
    for route in sorted(set(walk())):
        path = concrete(route)
        if SKIP.match(route) or path is None:
            continue
        observed[route] = {who: clients[who].get(path).status_code for who in PERSONAS}

    problems = []
    for route, statuses in observed.items():
        if 500 in statuses.values():
            problems.append(f"{route}: a server error {statuses}")
        if MISSING_ID in (concrete(route) or "") and 200 in statuses.values():
            problems.append(f"{route}: 200 for an id nobody has {statuses}")
        anonymous = statuses["anonymous"]
        if route not in PUBLIC and anonymous not in (302, 401, 404, 405):
            problems.append(f"{route}: anonymous got {anonymous}")
    assert not problems, "\n".join(problems)
    assert observed == EXPECTED, "The access matrix changed. Observed:\nEXPECTED = " + pprint.pformat(observed, width=250)


# Pages anyone may read without signing in (no personal data on them).
PUBLIC = {
    "login/", "activate/", "healthz", "i18n/setlang/", "api/docs", "api/openapi.json",
}
