"""Small factories for tests and benchmarks. Personas live in the root conftest.py."""

from __future__ import annotations

import datetime as dt
import itertools

from lib.identity import national_id_check_digit
from people.models import Guardian, Staff, StaffRole, Student, StudentGuardian, User
from schools.models import District, School, SchoolClass, Term, Venue

_seq = itertools.count(1)

PASSWORD = "kehou-Test-2026!"  # noqa: S105 (test fixtures only)


def make_national_id(*, birth: dt.date = dt.date(2017, 3, 14), serial: int | None = None) -> str:
    """Return a valid 18-digit ID number (region 110101, Beijing Dongcheng)."""
    serial = next(_seq) % 1000 if serial is None else serial
    first17 = f"110101{birth:%Y%m%d}{serial:03d}"
    return first17 + national_id_check_digit(first17)


def make_phone() -> str:
    return f"139{next(_seq):08d}"


def make_school(*, district: District | None = None, name: str = "") -> School:
    n = next(_seq)
    district = district or District.objects.create(name=f"测试区{n}", code=f"D{n}")
    return School.objects.create(district=district, name=name or f"测试小学{n}", code=f"S{n}")


def make_class(school: School, *, grade: int = 3, number: int | None = None) -> SchoolClass:
    return SchoolClass.objects.create(school=school, grade=grade, number=number or next(_seq))


def make_user(username: str | None = None, *, phone: str | None = None) -> User:
    user = User.objects.create_user(username=username or f"user{next(_seq)}", phone=phone)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_staff(school: School, *roles: str, name: str = "王老师", login: bool = True) -> Staff:
    staff = Staff.objects.create(
        school=school, name=name, user=make_user() if login else None, phone=make_phone()
    )
    StaffRole.objects.bulk_create([StaffRole(staff=staff, role=r) for r in roles])
    return staff


def make_student(
    school_class: SchoolClass, *, name: str = "张小明", national_id: str | None = None, **flags
) -> Student:
    return Student.objects.create(
        school_id=school_class.school_id,
        school_class=school_class,
        name=name,
        gender="M",
        birth_date=dt.date(2017, 3, 14),
        student_number=f"2026{next(_seq):05d}",
        national_id=national_id if national_id is not None else make_national_id(),
        **flags,
    )


def make_guardian(
    *students: Student, name: str = "张家长", login: bool = True, consent: bool = True
) -> Guardian:
    """Return a guardian of ``students``; by default they have consented to the service."""
    from django.utils import timezone

    from people.consent import give_consent_in_bulk

    phone = make_phone()
    guardian = Guardian.objects.create(
        name=name, phone=phone, user=make_user(phone=phone) if login else None
    )
    links = [
        StudentGuardian.objects.create(
            school_id=s.school_id, student=s, guardian=guardian, relation="mother", is_primary=True
        )
        for s in students
    ]
    if consent:
        give_consent_in_bulk(links=links, now=timezone.now())
    return guardian


def make_term(school: School, *, start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31)) -> Term:
    return Term.objects.create(school=school, name=f"{start.year}秋季学期", start=start, end=end)


def make_venue(school: School, *, name: str = "", kind: str = "classroom", capacity: int = 50) -> Venue:
    return Venue.objects.create(school=school, name=name or f"教室{next(_seq)}", kind=kind, capacity=capacity)


def reload(obj):
    """Return a fresh copy of ``obj`` from the database (drops cached relations)."""
    return type(obj).objects.get(pk=obj.pk)
