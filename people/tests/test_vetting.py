"""External instructors and volunteers must be vetted before they care for children (plan 7 六(五))."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import testing as make
from people.models import Vetting
from people.roles import Role
from people.services import NotAssignable, check_assignable


def test_school_teacher_needs_no_vetting(school_a):
    check_assignable(staff=make.make_staff(school_a, Role.TEACHER))


@pytest.mark.parametrize("role", [Role.EXTERNAL_INSTRUCTOR, Role.VOLUNTEER])
def test_unvetted_outsider_cannot_be_assigned(school_a, role):
    staff = make.make_staff(school_a, role, name="钱教练")
    with pytest.raises(NotAssignable) as exc:
        check_assignable(staff=staff)
    assert "钱教练" in exc.value.message


def test_vetting_must_be_complete(school_a):
    staff = make.make_staff(school_a, Role.EXTERNAL_INSTRUCTOR)
    Vetting.objects.create(staff=staff, qualification="国家二级足球教练", health_check_date=dt.date(2026, 8, 20))
    with pytest.raises(NotAssignable):
        check_assignable(staff=make.reload(staff))
    Vetting.objects.filter(staff=staff).update(filed_on=dt.date(2026, 8, 28), filed_with="区教育局")
    check_assignable(staff=make.reload(staff))


def test_inactive_staff_cannot_be_assigned(school_a):
    staff = make.make_staff(school_a, Role.TEACHER)
    staff.is_active = False
    with pytest.raises(NotAssignable):
        check_assignable(staff=staff)
