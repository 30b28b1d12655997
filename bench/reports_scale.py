"""Time the principal's dashboard and the district view as schools and students grow.

    .venv/bin/python bench/reports_scale.py [--sizes 2x600,4x1500,8x3000] [--rounds 5]

Each size ``SxN`` is a fresh throwaway SQLite database (never the one under var/) holding the
demo district with S schools and N students in all, each school's term brought to life
through the services (``simulation.demo_term``: plan 2 published, applications, review,
lottery, care groups, sessions, charges and payments). It then times, for the first school,
``school_dashboard`` and, for the district, ``district_view`` and prints the median of the
rounds with the number of queries. The query count must stay the same across sizes (the
tests pin it); the time grows with the rows the aggregates read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    os.environ["KEHOU_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehou.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _measure(fn, rounds: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def run_size(schools: int, students: int, rounds: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        from django.conf import settings

        settings.DATABASES["default"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
        call_command("migrate", verbosity=0)
        from reports.dashboard import school_dashboard
        from reports.district import district_view
        from schools.demo import seed_demo
        from schools.models import School, Term
        from simulation.demo_term import bring_term_to_life

        started = time.perf_counter()
        seed_demo(schools=schools, students=students, seed=7)
        for school in School.objects.order_by("code"):
            bring_term_to_life(school=school, term=Term.objects.get(school=school), seed=7)
        seeded = time.perf_counter() - started
        first = School.objects.order_by("code").first()
        term = Term.objects.select_related("school").get(school=first)
        today = dt.date(2026, 10, 15)
        dash_ms, dash_q = _measure(
            lambda: school_dashboard(term, today=today, show_flags=True, show_money=True), rounds
        )
        dist_ms, dist_q = _measure(lambda: district_view(first.district_id, today=today), rounds)
        connection.close()
    return {
        "schools": schools, "students": students, "seed_s": seeded,
        "dashboard_ms": dash_ms, "dashboard_q": dash_q, "district_ms": dist_ms, "district_q": dist_q,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2x600,4x1500,8x3000", help="schools x students, comma separated")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _setup_django(tmp)
        rows = []
        for size in args.sizes.split(","):
            schools, students = (int(x) for x in size.split("x"))
            rows.append(run_size(schools, students, args.rounds))
            r = rows[-1]
            print(f"{r['schools']:>3} schools {r['students']:>6} students | seeded in {r['seed_s']:6.1f} s | "
                  f"dashboard {r['dashboard_ms']:7.1f} ms {r['dashboard_q']:>3} queries | "
                  f"district {r['district_ms']:7.1f} ms {r['district_q']:>3} queries", flush=True)
        base = rows[0]
        for r in rows[1:]:
            print(f"{r['schools']}x{r['students']} vs {base['schools']}x{base['students']}: "
                  f"students ×{r['students'] / base['students']:.1f}, dashboard time ×"
                  f"{r['dashboard_ms'] / base['dashboard_ms']:.2f}, district time ×"
                  f"{r['district_ms'] / base['district_ms']:.2f}")


if __name__ == "__main__":
    main()
