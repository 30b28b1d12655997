"""Time a simulated term per phase, with query counts, as the school and the district grow.

    .venv/bin/python bench/term_scale.py [--sizes 500,1500,3000] [--district 20x150] [--weeks 1]
                                         [--preset p1] [--faults 0.02]

Each size is a fresh throwaway SQLite database (never the one under var/); ``simulate_term``
builds the school, plays ``--weeks`` weeks of the term (every service call a click would make:
applications, review, lottery, groups, sessions, charges, payments, then each school day's
leave, hand-overs, roll calls, pickups, lateness, the month's pay run, settlement) and checks
the invariants. ``--district SxN`` plays S schools of N children one after another in one
district. Per phase it prints seconds and SQL queries; the ``days`` phase is also given per
school day and per child-day, which shows how the cost grows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = (
    "school",
    "plan",
    "enrollment",
    "groups_sessions",
    "charges_payments",
    "days",
    "staffing",
    "pay_meals",
    "settlement",
    "invariants",
)


def _setup_django(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ["KEHOU_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _fresh_db(tmp: str) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    settings.DATABASES["default"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
    call_command("migrate", verbosity=0)


def run(label: str, schools: int, students: int, *, preset: str, weeks: int, faults: str) -> dict:
    from schools.models import District
    from simulation.term import simulate_term

    with tempfile.TemporaryDirectory() as tmp:
        _fresh_db(tmp)
        district = (
            District.objects.create(name="基准区", code=f"BENCH-{label}") if schools > 1 else None
        )
        spent: dict[str, float] = defaultdict(float)
        queries: dict[str, int] = defaultdict(int)
        child_days = days = in_care = 0
        started = time.perf_counter()
        for n in range(schools):
            s = simulate_term(
                preset, students, 1 + n, faults=faults, weeks=weeks, district=district
            )
            for k, v in s.timings.items():
                spent[k] += v
            for k, v in s.queries.items():
                queries[k] += v
            days = s.days
            in_care += s.approved
            child_days += s.approved * s.days
            if any(s.faults_detected[k] != v for k, v in s.faults_injected.items()):
                raise SystemExit(f"{label}: faults not all detected")
        total = time.perf_counter() - started
    return {
        "label": label,
        "schools": schools,
        "students": students * schools,
        "in_care": in_care,
        "days": days,
        "child_days": child_days,
        "total_s": total,
        "spent": dict(spent),
        "queries": dict(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="500,1500,3000", help="children in one school, comma separated"
    )
    parser.add_argument("--district", default="20x150", help="S schools x N children (empty: skip)")
    parser.add_argument("--weeks", type=int, default=1)
    parser.add_argument("--preset", default="p1")
    parser.add_argument("--faults", default="0.02")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(tmp)
        runs = [(f"1x{n}", 1, int(n)) for n in args.sizes.split(",") if n]
        if args.district:
            s, n = (int(x) for x in args.district.split("x"))
            runs.append((args.district, s, n))
        rows = []
        for label, schools, students in runs:
            r = run(
                label, schools, students, preset=args.preset, weeks=args.weeks, faults=args.faults
            )
            rows.append(r)
            print(
                f"\n{label}: {r['students']} children ({r['in_care']} in care), {r['days']} school days, "
                f"{r['total_s']:.1f} s in all",
                flush=True,
            )
            print(f"  {'phase':<18}{'seconds':>9}{'queries':>10}")
            for phase in PHASES:
                if phase in r["spent"]:
                    print(f"  {phase:<18}{r['spent'][phase]:9.1f}{r['queries'].get(phase, 0):10d}")
            per_day = r["spent"]["days"] / max(r["days"] * r["schools"], 1)
            per_child = r["spent"]["days"] / max(r["child_days"], 1) * 1000
            q_child = r["queries"]["days"] / max(r["child_days"], 1)
            print(
                f"  days: {per_day:.2f} s a school day per school; {per_child:.1f} ms and {q_child:.1f} queries "
                "a child-day",
                flush=True,
            )


if __name__ == "__main__":
    main()
