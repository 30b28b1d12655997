"""Shared personas: two schools in one district, a third in another district.

- ``principal`` / ``teacher`` / ``finance`` / ``guard``: staff of school A
- ``guardian_a``: parent of ``child_a`` in school A; ``guardian_b``: parent of ``child_b``
- ``outsider``: principal of school B (same district), who must never see school A's rows
- ``district``: officer of the district of schools A and B
"""

from __future__ import annotations

import pytest
from django.test import Client

from lib import testing as make
from people.models import DistrictOfficer
from people.roles import Role


@pytest.fixture
def school_a(db):
    return make.make_school(name="城南小学")


@pytest.fixture
def school_b(db, school_a):
    return make.make_school(district=school_a.district, name="城北小学")


@pytest.fixture
def class_a(school_a):
    return make.make_class(school_a, grade=3, number=2)


@pytest.fixture
def class_b(school_b):
    return make.make_class(school_b, grade=3, number=1)


@pytest.fixture
def principal(school_a):
    return make.make_staff(school_a, Role.PRINCIPAL, name="李校长")


@pytest.fixture
def teacher(school_a, class_a):
    staff = make.make_staff(school_a, Role.TEACHER, Role.HEAD_TEACHER, name="陈老师")
    class_a.head_teacher = staff
    class_a.save(update_fields=["head_teacher"])
    return staff


@pytest.fixture
def finance(school_a):
    return make.make_staff(school_a, Role.FINANCE, name="周会计")


@pytest.fixture
def guard(school_a):
    return make.make_staff(school_a, Role.GUARD, name="赵保安")


@pytest.fixture
def outsider(school_b):
    return make.make_staff(school_b, Role.PRINCIPAL, name="孙校长")


@pytest.fixture
def child_a(class_a):
    return make.make_student(class_a, name="张小明", is_low_income=True)


@pytest.fixture
def child_b(class_a):
    return make.make_student(class_a, name="刘小红")


@pytest.fixture
def guardian_a(child_a):
    return make.make_guardian(child_a, name="张妈妈")


@pytest.fixture
def guardian_b(child_b):
    return make.make_guardian(child_b, name="刘爸爸")


@pytest.fixture
def district(school_a):
    user = make.make_user("district1")
    DistrictOfficer.objects.create(user=user, district=school_a.district)
    return user


def client_for(user) -> Client:
    """Return a test client signed in as ``user`` (a User, Staff or Guardian)."""
    user = getattr(user, "user", user)
    client = Client()
    client.force_login(user, backend="people.auth.UsernameOrPhoneBackend")
    return client


@pytest.fixture
def as_user():
    return client_for


def pytest_collection_modifyitems(config, items):
    """Skip ``postgres`` tests on SQLite, unless CI demands PostgreSQL (then fail loudly)."""
    import os

    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if os.environ.get("KEHOU_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("KEHOU_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI always does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
