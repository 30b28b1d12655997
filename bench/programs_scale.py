"""Time group forming (编班) and the timetable for a 3,000-student school.

    .venv/bin/python bench/programs_scale.py [--students 3000] [--offerings 60] [--rounds 5]

Runs against a throwaway SQLite database in a temporary directory (the project's own
settings: WAL, IMMEDIATE transactions), never the one under var/. Builds one primary school
(grades 1–6, classes of about 45 with home rooms, a draft of plan 7 for the term), one weekly
slot for each of ~60 offerings, then times:

- group forming for every student (``form_care_groups``), a re-run with the same
  participants, and a re-run after 90 students left;
- the school's timetable grid and the 5+2 check of every class (the functions), and the
  timetable page, its .xlsx export and the group report page through the test client.

Prints the median time of the rounds and the number of queries of each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐宇轩可馨思远佳怡俊杰诗涵明轩雅琪博文晨曦天佑若曦"


def _setup_django(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ["KEHOU_VAR_DIR"] = tmp
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_school(*, students: int, offerings: int, seed: int = 7):
    """Create the school, its classes, rooms, staff, students, the p7 plan and the slots."""
    from people.models import Staff, StaffRole, Student, name_pinyin
    from people.roles import Role
    from plans.services import create_draft_from_preset
    from programs.models import Offering
    from programs.services import add_slot, create_offering
    from schools.models import District, School, SchoolClass, Term, Venue

    rng = random.Random(seed)
    district = District.objects.create(name="测试区", code="D-BENCH")
    school = School.objects.create(district=district, name="城南实验小学", code="S-BENCH")
    term = Term.objects.create(
        school=school, name="2026秋季学期", start=dt.date(2026, 9, 1), end=dt.date(2027, 1, 15)
    )
    create_draft_from_preset(term=term, preset_key="p7", acting_user=None)

    per_grade = students // 6
    class_count = max(1, round(per_grade / 45))
    staff_names = [_name(rng) + "老师" for _ in range(class_count * 6 + offerings)]
    staff = Staff.objects.bulk_create(
        Staff(school=school, name=n, pinyin=name_pinyin(n), phone=f"138{i:08d}")
        for i, n in enumerate(staff_names)
    )
    StaffRole.objects.bulk_create(StaffRole(staff=s, role=Role.TEACHER) for s in staff)
    principal = Staff.objects.create(school=school, name="李校长", phone="13900000000")
    StaffRole.objects.create(staff=principal, role=Role.PRINCIPAL)

    classes = []
    rooms = Venue.objects.bulk_create(
        Venue(school=school, name=f"{g}-{n}教室", kind="classroom", capacity=50)
        for g in range(1, 7)
        for n in range(1, class_count + 1)
    )
    heads = iter(staff)
    for index, room in enumerate(rooms):
        grade, number = divmod(index, class_count)
        classes.append(
            SchoolClass(
                school=school,
                grade=grade + 1,
                number=number + 1,
                home_room=room,
                head_teacher=next(heads),
            )
        )
    classes = SchoolClass.objects.bulk_create(classes)

    rows = []
    for i in range(students):
        grade = min(i // per_grade, 5)
        cls = classes[grade * class_count + (i % per_grade) % class_count]
        name = _name(rng)
        rows.append(
            Student(
                school=school,
                school_class=cls,
                name=name,
                pinyin=name_pinyin(name),
                gender=rng.choice("MF"),
                birth_date=dt.date(2020 - grade, 1 + i % 12, 1 + i % 28),
                student_number=f"2026{i:05d}",
            )
        )
    Student.objects.bulk_create(rows, batch_size=500)

    # ~60 offerings, one weekly slot each, each in its own room with its own instructor so
    # the clash check passes: class-based homework help, grade-wide reading and clubs.
    venues = Venue.objects.bulk_create(
        Venue(school=school, name=f"专用室{i}", kind="other", capacity=45) for i in range(offerings)
    )
    instructors = staff[class_count * 6 :]
    kinds = [Offering.Kind.HOMEWORK_HELP, Offering.Kind.READING_ROOM, Offering.Kind.CLUB]
    for i in range(offerings):
        kind = kinds[i % 3]
        grade = 1 + i % 6
        school_class = classes[(grade - 1) * class_count + i % class_count] if i % 3 == 0 else None
        offering = create_offering(
            term=term,
            kind=kind,
            name=f"项目{i + 1:02d}",
            grades=[grade] if kind != Offering.Kind.CLUB else [grade, min(grade + 1, 6)],
            school_class=school_class,
            capacity=45,
            content="内容",
            activity_plan="第1周",
            acting_user=None,
        )
        start, end = [(dt.time(15, 40), dt.time(16, 40)), (dt.time(16, 40), dt.time(17, 40))][i % 2]
        add_slot(
            offering=offering,
            weekday=i % 5,
            start=start,
            end=end,
            venue=venues[i],
            instructor=instructors[i],
            acting_user=None,
        )
    return term, principal, len(classes)


def measure(label: str, rounds: int, step: Callable[[], object], results: list) -> object:
    """Run ``step`` ``rounds`` times; record the median seconds and the queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, outcome, queries = [], None, 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = step()
            timings.append(time.perf_counter() - started)
        queries = len(captured)
    results.append((label, statistics.median(timings), min(timings), queries))
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--offerings", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kehou-bench-")
    _setup_django(tmp.name)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from people.models import Student
    from programs import timetable as tt
    from programs.models import CareGroupMember, WeeklySlot
    from programs.selectors import care_participants, plan_document_for
    from programs.services_groups import form_care_groups
    from schools.models import SchoolClass

    started = time.perf_counter()
    term, principal, class_count = build_school(students=args.students, offerings=args.offerings)
    print(
        f"database: {connection.settings_dict['NAME']} (SQLite {connection.Database.sqlite_version})"
    )
    print(
        f"school: {Student.objects.count()} students in {class_count} classes, "
        f"{WeeklySlot.objects.count()} weekly slots; built in {time.perf_counter() - started:.1f} s"
    )
    print(f"rounds: {args.rounds} (median; group forming steps run once each)\n")

    results: list = []
    ids = care_participants(term, "noon_care")

    def form(student_ids):
        return lambda: form_care_groups(
            term=term, service="noon_care", student_ids=student_ids, acting_user=None
        )

    run = measure("form groups, 3,000 students (first run)", 1, form(ids), results)
    rerun = measure("form groups again, same participants", 1, form(ids), results)
    fewer = measure("form groups again, 90 students fewer", 1, form(ids[90:]), results)
    assert CareGroupMember.objects.filter(group__run=run).count() == len(ids)
    assert rerun.changes == [] and len(fewer.changes) == 90

    def grid():
        return tt.build_grid(tt.slot_rows(term))

    def weeks():
        doc = plan_document_for(term)
        classes = list(SchoolClass.objects.filter(school_id=term.school_id))
        return tt.class_weeks(
            doc=doc, rule=tt.rule_for(doc, term), classes=classes, rows=tt.slot_rows(term)
        )

    measure("school timetable grid (slots → grid)", args.rounds, grid, results)
    short = measure(f"5+2 check of all {class_count} classes", args.rounds, weeks, results)

    client = Client()
    client.force_login(principal_user(principal), backend="people.auth.UsernameOrPhoneBackend")
    query = f"?term={term.pk}"
    for label, url in [
        ("timetable page (school, with 5+2)", reverse("programs:timetable") + query),
        ("timetable .xlsx export", reverse("programs:timetable_xlsx") + query),
        (
            "group report page (3,000 names)",
            reverse("programs:groups") + query + "&service=noon_care",
        ),
        ("offerings list (five fixes)", reverse("programs:offering_list") + query),
    ]:

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        measure(label, args.rounds, get, results)

    print(f"{'step':<44}{'median s':>10}{'best s':>9}{'queries':>9}")
    for label, median, best, queries in results:
        print(f"{label:<44}{median:>10.3f}{best:>9.3f}{queries:>9}")
    print(f"\nclasses short of 5+2: {sum(not w.meets for w in short)} of {len(short)}")
    tmp.cleanup()


def principal_user(staff):
    """Give the principal a login for the page timings."""
    from people.models import User

    user = User.objects.create_user(username="bench-principal")
    staff.user = user
    staff.save(update_fields=["user"])
    return user


if __name__ == "__main__":
    main()
