"""Time the roster import: 2,000 rows imported into an empty school, then the same file again.

    .venv/bin/python bench/import_roster.py [--rows 2000] [--rounds 3]

Runs against a throwaway SQLite database in a temporary directory (the project's own
settings: WAL, IMMEDIATE transactions), never the one under var/. Prints the median of
several rounds, each into a fresh school, and the ratio re-import / import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐宇轩可馨思远佳怡俊杰诗涵明轩雅琪博文晨曦天佑若曦"
RELATIONS = ["父亲", "母亲", "爷爷", "奶奶", "外公", "外婆"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="kehou-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people.models import Student
    from people.services_roster import import_roster

    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.settings_dict['NAME']} (SQLite {connection.Database.sqlite_version})"
    )
    print(f"rows per file: {args.rows}, rounds: {args.rounds}\n")

    timings: dict[str, list[float]] = {"parse": [], "import": [], "reimport": []}
    queries: dict[str, int] = {}
    for round_number in range(1, args.rounds + 1):
        school = _school(round_number)
        data = _workbook(args.rows, seed=round_number, phone_prefix=130 + round_number)
        for label in ("import", "reimport"):
            upload = io.BytesIO(data)
            upload.name = "roster.xlsx"
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = import_roster(school=school, rows_or_file=upload, acting_user=None)
                timings[label].append(time.perf_counter() - started)
            queries[label] = len(captured)
            expected = (args.rows, 0) if label == "import" else (0, args.rows)
            assert (result.created, result.unchanged) == expected, result
        timings["parse"].append(_parse_only(data, school))
        assert Student.objects.filter(school=school).count() == args.rows
        print(
            f"round {round_number}: import {timings['import'][-1]:.2f} s, "
            f"re-import {timings['reimport'][-1]:.2f} s, "
            f"reading and checking alone {timings['parse'][-1]:.2f} s"
        )

    median = {k: statistics.median(v) for k, v in timings.items()}
    print()
    print(f"{'':<32}{'median s':>10}{'rows/s':>10}{'queries':>9}")
    for label, title in (
        ("import", f"import {args.rows} new rows"),
        ("reimport", f"re-import the same {args.rows} rows"),
        ("parse", "  of which reading + checking"),
    ):
        print(
            f"{title:<32}{median[label]:>10.2f}{args.rows / median[label]:>10.0f}"
            f"{queries.get(label, ''):>9}"
        )
    print(f"\nratio re-import / import: {median['reimport'] / median['import']:.2f}")
    tmp.cleanup()


def _school(n: int):
    from schools.models import District, School, SchoolClass

    district, _ = District.objects.get_or_create(code="BENCH", defaults={"name": "基准区"})
    school = School.objects.create(district=district, name=f"基准小学{n}", code=f"BENCH{n}")
    SchoolClass.objects.bulk_create(
        SchoolClass(school=school, grade=g, number=c) for g in range(1, 7) for c in range(1, 9)
    )
    return school


def _workbook(rows: int, *, seed: int, phone_prefix: int) -> bytes:
    """Return an .xlsx roster of ``rows`` plausible students, one guardian each."""
    from openpyxl import Workbook

    from lib.identity import national_id_check_digit
    from people.roster import TEMPLATE_COLUMNS

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名册")
    sheet.append([c.header for c in TEMPLATE_COLUMNS])
    for i in range(rows):
        grade = 1 + i % 6
        born = dt.date(2026 - 6 - grade, 1 + i % 12, 1 + i % 28)
        first17 = f"110101{born:%Y%m%d}{i % 1000:03d}"
        surname = rng.choice(SURNAMES)
        sheet.append([
            surname + rng.choice(GIVEN) + rng.choice(GIVEN),
            rng.choice("男女"),
            born,
            grade,
            f"{1 + i % 8}班",
            f"B{seed}{i:06d}",
            first17 + national_id_check_digit(first17),
            surname + rng.choice(GIVEN),
            rng.choice(RELATIONS),
            f"{phone_prefix}{i:08d}",
            rng.choice("是否否否"),
            "否",
            rng.choice(["否", ""]),
            rng.choice("是否否否否"),
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parse_only(data: bytes, school) -> float:
    from people.roster import parse_rows
    from people.roster_files import read_table
    from schools.models import SchoolClass

    started = time.perf_counter()
    table = read_table(data, "roster.xlsx")
    classes = {(c.grade, c.number): c.pk for c in SchoolClass.objects.filter(school=school)}
    rows, errors = parse_rows(table.headers, table.rows, classes=classes)
    assert rows and not errors, errors[:3]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
