"""Time a whole term's money for 1,000 / 2,000 / 3,000 children: charges, absence refunds from
attendance data, a payment statement import, and settlement (preview, then commit).

    .venv/bin/python bench/settle_term.py [--sizes 1000 2000 3000]

Runs against a throwaway SQLite database in a temporary directory (the project's own
settings), never the one under var/. Each size gets a fresh school with plan 1 (350 yuan a
term, 84 service days in autumn 2026), one care group per class and a roll call on every
school day (a mark per child per day); about one child in ten has a whole-week-plus
absence (8 days in a row: refunded), others scattered absent days (not refunded). Not a
test: it prints the time and query count of each phase, to show that cost grows linearly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 3000])
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="kehou-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: SQLite {connection.Database.sqlite_version}; Python {sys.version.split()[0]}\n")
    print(f"{'children':>8} {'phase':<22} {'seconds':>8} {'queries':>8} {'ms/child':>9} {'q/child':>8}")
    for size in args.sizes:
        for phase, seconds, queries in run(size):
            print(f"{size:>8} {phase:<22} {seconds:>8.2f} {queries:>8} {1000 * seconds / size:>9.2f} "
                  f"{queries / size:>8.2f}")
        print()


def run(size: int) -> list[tuple[str, float, int]]:
    from django.db import connection

    from finance.enrolment import approved_children, term_run
    from finance.payments import import_statement
    from finance.services import settle_term, settlement_preview

    term, students = make_term(size)
    results = []

    def timed(label, fn):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            value = fn()
            seconds = time.perf_counter() - start
        results.append((label, seconds, count))
        return value

    timed("charges", lambda: term_run(term=term, acting_user=None, refunds=False))
    timed("absence refunds", lambda: term_run(term=term, acting_user=None, charges=False))
    statement = payment_statement(students)
    timed("payment import", lambda: import_statement(school=term.school, source=statement, acting_user=None))
    statement.seek(0)
    timed("same file again", lambda: import_statement(school=term.school, source=statement, acting_user=None))
    charged = [c.student for c in approved_children(term)]
    timed("settlement preview", lambda: settlement_preview(term=term, students=charged))
    timed("settlement commit", lambda: settle_term(term=term, students=charged, acting_user=None,
                                                   date=dt.date(2027, 1, 15)))
    timed("settlement again", lambda: settle_term(term=term, students=charged, acting_user=None,
                                                  date=dt.date(2027, 1, 15)))
    return results


def make_term(size: int):
    """A school with ``size`` approved children, care groups and a roll call every school day."""
    from django.utils import timezone

    from attendance.models import Mark, RollCall
    from enrollment.models import Application, ChildApplication
    from enrollment.tests.conftest import published_term
    from lib import testing as make
    from people.models import Student
    from people.roles import Role
    from plans.selectors import published_plan_for
    from programs.models import CareGroup, GroupFormingRun
    from schools.calendar import school_days
    from schools.models import CalendarEntry

    rng = random.Random(size)
    school = make.make_school(name=f"基准小学{size}")
    term = published_term(school, "p1")
    CalendarEntry.objects.create(school=school, date=dt.date(2026, 9, 20), kind="workday", follows_weekday=0)
    CalendarEntry.objects.create(school=school, date=dt.date(2026, 10, 10), kind="workday", follows_weekday=3)
    classes = [make.make_class(school, grade=g, number=n) for g in range(1, 7) for n in range(1, 9)]
    students = Student.objects.bulk_create([
        Student(school=school, school_class=classes[i % len(classes)], name=f"学生{i:04d}", pinyin=f"xuesheng {i}",
                gender="MF"[i % 2], birth_date=dt.date(2017, 3, 14), student_number=f"{size}{i:05d}",
                is_low_income=i % 25 == 0)
        for i in range(size)
    ], batch_size=500)
    guardian = make.make_guardian(name="基准家长", login=False)
    plan = published_plan_for(term)
    now = timezone.now()
    application = Application.objects.create(school=school, term=term, guardian=guardian, plan=plan,
                                             plan_version=plan.version, agreement_accepted_at=now,
                                             idempotency_key=f"bench-{size}")
    ChildApplication.objects.bulk_create([
        ChildApplication(application=application, school=school, term=term, student=s, wants_after_school=True,
                         status=ChildApplication.Status.APPROVED, receipt=f"B{size}{i:06d}")
        for i, s in enumerate(students)
    ], batch_size=500)
    Application.objects.filter(pk=application.pk).update(submitted_at=dt.datetime(2026, 8, 25, 2, 0, tzinfo=dt.UTC))
    teacher = make.make_staff(school, Role.TEACHER, name="看护老师")
    run = GroupFormingRun.objects.create(school=school, term=term, service="after_school", min_from_one_class=30,
                                         merge="adjacent_grades")
    venue = make.make_venue(school)
    groups = {c.pk: CareGroup.objects.create(run=run, school=school, key=f"class-{c.pk}", name=str(c), venue=venue,
                                             grades=[c.grade], reason="原班") for c in classes}
    days = [d.date for d in school_days(term)]
    taken = timezone.now()
    calls = RollCall.objects.bulk_create([
        RollCall(school=school, date=day, care_group=g, taken_by=teacher, taken_at=taken)
        for day in days for g in groups.values()
    ], batch_size=500)
    call_of = {(c.care_group_id, c.date): c for c in calls}
    marks = []
    for i, s in enumerate(students):
        away: set[dt.date] = set()
        if i % 10 == 0:  # a long absence: 8 school days in a row
            first = rng.randrange(0, len(days) - 8)
            away = set(days[first:first + 8])
        else:
            away = {d for d in days if rng.random() < 0.03}
        group = groups[s.school_class_id]
        marks += [Mark(roll_call=call_of[group.pk, d], student=s, status="absent" if d in away else "present",
                       marked_by=teacher.user, marked_at=taken) for d in days]
    Mark.objects.bulk_create(marks, batch_size=2000)
    return term, students


def payment_statement(students) -> io.BytesIO:
    """A CSV statement: nine in ten pay by student number (some part, some too much), one in ten unmatched."""
    rows = ["交易时间,金额,付款人,备注,流水号"]
    for i, s in enumerate(students):
        memo = f"学号{s.student_number} 课后服务费" if i % 10 else "课后服务费"
        amount = ("350.00", "200.00", "400.00")[i % 3]
        rows.append(f"2026-09-{1 + i % 28:02d} 10:00:00,{amount},家长,{memo},BENCH{s.student_number}")
    data = io.BytesIO("\n".join(rows).encode("utf-8"))
    data.name = "statement.csv"
    return data


if __name__ == "__main__":
    main()
