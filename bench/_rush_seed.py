"""Seed the enrollment rush bench: one school, a published first-come plan, a window open now,
small clubs, and families whose guardians each hold an API token.

Imported by ``bench/enroll_rush.py`` after ``django.setup()``. The term, plan and clubs come
from the enrollment tests' own helpers (``published_term``, ``open_club``), so the bench runs
the set-up the tests prove; families are bulk-created (thousands of password hashes would
take minutes and measure nothing). Tokens come from ``api.services.issue_token``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from api.services import issue_token
from enrollment.models import EnrollmentWindow
from enrollment.tests.conftest import open_club, published_term
from lib import testing as make
from people.consent import give_consent_in_bulk
from people.models import Guardian, Student, StudentGuardian, User
from schools.models import SchoolClass

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GRADES = range(1, 7)
CLASSES_PER_GRADE = 8
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐宇轩可馨思远佳怡俊杰诗涵明轩雅琪博文晨曦天佑若曦"


@dataclass
class Family:
    """One guardian's ready-to-send application: the token and the JSON body."""

    guardian_id: int
    token: str
    body: bytes
    children: int
    choices: int


@dataclass
class Group:
    """Families that apply for the same clubs in one phase of the bench."""

    name: str
    clubs: dict[int, int] = field(default_factory=dict)  # offering id → capacity
    families: list[Family] = field(default_factory=list)


@dataclass
class Plan:
    """What to seed for one group: children per family, and the clubs they choose from."""

    name: str
    sizes: list[int]
    clubs: int
    capacity: int
    max_choices: int = 2


def family_sizes(count: int, rng: random.Random) -> list[int]:
    """Return ``count`` families of one to three children (about half have one)."""
    return rng.choices([1, 2, 3], weights=[50, 35, 15], k=count)


def seed(plans: list[Plan], *, rng: random.Random) -> tuple[int, dict[str, Group]]:
    """Create the school, term and clubs and the families of every plan; return the term id
    and, per plan name, the group with its families' prepared requests."""
    # The clubs' instructors get logins from the test factories; a fast hash spares minutes of
    # PBKDF2 in the bench process (the server keeps its own settings; nobody logs in here).
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        school = make.make_school(name="基准实验小学")
        term = published_term(school, "p2", _first_come)
        now = timezone.now()
        # Registration opened a moment ago and stays open for the whole run.
        EnrollmentWindow.objects.filter(term=term).update(
            opens_at=now - dt.timedelta(minutes=1), closes_at=now + dt.timedelta(hours=6)
        )
        classes = SchoolClass.objects.bulk_create(
            SchoolClass(school=school, grade=g, number=n)
            for g in GRADES
            for n in range(1, CLASSES_PER_GRADE + 1)
        )
        groups, made = {}, 0
        for plan in plans:
            group = Group(plan.name)
            for i in range(plan.clubs):
                club = open_club(term, name=f"{plan.name}社团{i + 1}", capacity=plan.capacity)
                group.clubs[club.pk] = plan.capacity
            families = _families(school, classes, plan.sizes, rng, first=made)
            made += len(plan.sizes)
            for guardian, kids in families:
                token = issue_token(user=guardian.user, name="rush bench")
                group.families.append(_request(term.pk, guardian, kids, token, group, plan, rng))
            groups[plan.name] = group
    return term.pk, groups


def _first_come(document: dict) -> None:
    document["selection"]["method"] = "first_come"


def _request(term_id, guardian, kids, token, group: Group, plan: Plan, rng) -> Family:
    clubs = list(group.clubs)
    children = [
        {
            "student_id": kid.pk,
            "after_school": True,
            "choices": rng.sample(clubs, k=min(len(clubs), rng.randint(1, plan.max_choices))),
        }
        for kid in kids
    ]
    body = {
        "term_id": term_id,
        "idempotency_key": f"rush-{guardian.pk:08d}",
        "agreement_accepted": True,
        "children": children,
    }
    return Family(
        guardian.pk, token, json.dumps(body).encode(), len(kids),
        sum(len(c["choices"]) for c in children),
    )


def _families(school, classes, sizes: list[int], rng: random.Random, *, first: int):
    """Bulk-create guardians (with logins) and their children; return [(guardian, kids)]."""
    unusable = make_password(None)
    numbers = range(first, first + len(sizes))
    users = User.objects.bulk_create(
        User(username=f"rush{i:06d}", phone=f"137{i:08d}", password=unusable) for i in numbers
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(user=u, name=_name(rng) + "家长", phone=u.phone) for u in users
    )
    for guardian, user in zip(guardians, users, strict=True):
        guardian.user = user
    kids = Student.objects.bulk_create(
        Student(
            school=school,
            school_class=rng.choice(classes),
            name=(name := _name(rng)),
            pinyin=name,
            gender=rng.choice("MF"),
            birth_date=dt.date(2017, 1 + i % 12, 1 + i % 28),
            student_number=f"R{first:06d}{i:06d}",
        )
        for i in range(sum(sizes))
    )
    links, result, taken = [], [], 0
    for guardian, size in zip(guardians, sizes, strict=True):
        own = kids[taken:taken + size]
        taken += size
        links += [
            StudentGuardian(
                school=school, student=k, guardian=guardian, relation="mother", is_primary=True
            )
            for k in own
        ]
        result.append((guardian, own))
    StudentGuardian.objects.bulk_create(links)
    # The families consented before the window opened (an application needs it; people/consent.py).
    give_consent_in_bulk(links=links, now=timezone.now())
    return result


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
