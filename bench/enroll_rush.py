"""The opening-minute rush, end to end: gunicorn, the real enrollment endpoint, a real database.

    .venv/bin/python bench/enroll_rush.py [--db sqlite|postgres|both] [--duration 10]
        [--concurrency 64] [--families 6000] [--burst 3000] [--workers 2]

For each database it builds a throwaway one (PostgreSQL: ``--pg-name``, default ``kehou_bench``, on 127.0.0.1,
dropped at the end; SQLite: a file in a temporary KEHOU_VAR_DIR), migrates it, seeds a
school with a published first-come plan, an enrollment window open now, small clubs and
families whose guardians hold API tokens, and starts gunicorn (sync workers, persistent
connections where the settings allow) on 127.0.0.1. A separate client process then:

1. fires GET /healthz for ``--duration`` seconds (the bare ceiling of the same server);
2. fires POST /api/enrollment/applications for ``--duration`` seconds, one family per
   request, every tenth family double-clicking (two requests at once with the same key);
3. ``--burst N``: N families of one to three children fire at once; it reports the time
   until every application is decided (each choice placed or waitlisted, notices written,
   checked in the database).

Between 1 and 2 the bench process runs the database's own ceiling for the same capacity
transaction, straight through the driver (lock the club's row, count, insert, commit). After
each phase it checks the database: no club over capacity, every choice decided, one
application per family, no duplicate key, one notice per decision. Every server process is
killed and the database dropped, whatever happens. Not a test: ``make test`` never runs it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _rush_cpu as cpu  # noqa: E402
from _rush_client import Job, Result  # noqa: E402
from _rush_client import run as run_client  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/"
CPU_LINES: list[str] = []  # one per client run, printed under its figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per timed phase")
    parser.add_argument("--concurrency", type=int, default=64, help="clients in timed phases")
    parser.add_argument("--families", type=int, default=6000, help="one-child families, phase 2")
    parser.add_argument("--clubs", type=int, default=4, help="first-come clubs in phase 2")
    parser.add_argument("--capacity", type=int, default=30, help="places per club")
    parser.add_argument("--burst", type=int, default=3000, help="families in the burst (0: none)")
    parser.add_argument("--burst-clubs", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg-name", default="kehou_bench",
                        help="throwaway PostgreSQL database (created, then dropped)")
    args = parser.parse_args()
    if args.db == "both":
        # One process per database: Django reads DATABASE_URL once, at set-up.
        rest = [a for i, a in enumerate(sys.argv[1:]) if not _is_db_arg(sys.argv[1:], i)]
        failed = [
            db for db in ("sqlite", "postgres")
            if subprocess.run([sys.executable, __file__, "--db", db, *rest]).returncode  # noqa: S603
        ]
        sys.exit(1 if failed else 0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    tmp = tempfile.TemporaryDirectory(prefix="kehou-rush-")
    try:
        failures = bench(args, Path(tmp.name))
    finally:
        tmp.cleanup()
    sys.exit(1 if failures else 0)


def _is_db_arg(argv: list[str], i: int) -> bool:
    return argv[i].startswith("--db=") or argv[i] == "--db" or (i > 0 and argv[i - 1] == "--db")


def bench(args: argparse.Namespace, tmp: Path) -> list[str]:
    """Run every phase against one database; return the failed checks."""
    if args.db == "postgres":
        _recreate_pg_database(args.pg_name)
        url = PG_SERVER + args.pg_name
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update({
        "DATABASE_URL": url,
        "KEHOU_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "kehou.settings",
        "DB_CONN_MAX_AGE": "600",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "0",
    })
    server = None
    try:
        import django

        django.setup()
        import _rush_checks as checks
        from _rush_seed import Plan, family_sizes, seed
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        rng = random.Random(args.seed)
        plans = [
            Plan("probe", [1, 3], clubs=1, capacity=2),
            Plan("rush", [1] * args.families, clubs=args.clubs, capacity=args.capacity,
                 max_choices=1),
        ]
        if args.burst:
            plans.append(Plan("burst", family_sizes(args.burst, rng), clubs=args.burst_clubs,
                              capacity=args.capacity))
        term_id, groups = seed(plans, rng=rng)
        print(f"== {args.db}: {_describe_db(connection)}; {args.workers} gunicorn sync workers, "
              f"CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}")
        print(f"seeded in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{g.name} {len(g.families)} families / {len(g.clubs)} clubs"
                          for g in groups.values()))
        checks.print_query_counts(groups["probe"])
        connection.close()

        log = tmp / "gunicorn.log"
        server = _start_gunicorn(args, log)
        _warm_up(args.port, groups["probe"].families[0].token)

        print(f"\nload average before: {os.getloadavg()[0]:.2f} (other work on the machine "
              "shares the two cores: see each phase's CPU line)")
        bare = _fire(Job(args.port, "/healthz", [("", None)], args.concurrency, args.duration,
                         repeat=True), server)
        bare_rate = _report("bare GET /healthz", bare, args.duration)
        connections = min(args.concurrency, 32)
        before, own, after = cpu.snapshot(server.pid), _own_cpu(), []
        ceiling = checks.db_ceiling(
            args.db, url, tmp, list(groups["rush"].clubs)[0], concurrency=connections,
            duration=args.duration,
            when_done=lambda: after.extend([cpu.snapshot(server.pid), _own_cpu()]),
        )
        print(f"{'database ceiling (driver)':<34}{ceiling:>9.0f} tx/s  (lock the club's row, "
              f"count, insert, commit; {connections} connections from the bench process)")
        print(cpu.describe(before, after[0], after[1] - own))
        rush = groups["rush"]
        app = _fire(Job(args.port, "/api/enrollment/applications",
                        [(f.token, f.body) for f in rush.families], args.concurrency,
                        args.duration, double_click_every=10), server)
        app_rate = _report("POST /api/enrollment/applications", app, args.duration)
        print(f"ratios: app/bare {app_rate / bare_rate:.3f}, app/db {app_rate / ceiling:.3f}")
        locked = log.read_text(errors="replace").count("database is locked")
        print(f"'database is locked' in the server log: {locked}")
        checks.verify(rush, app[1])

        if args.burst:
            burst = groups["burst"]
            print(f"\nburst: {len(burst.families)} families, "
                  f"{sum(f.children for f in burst.families)} children, "
                  f"{sum(f.choices for f in burst.families)} choices, all at once "
                  f"(load average before: {os.getloadavg()[0]:.2f})")
            t0_wall, results = _fire(Job(args.port, "/api/enrollment/applications",
                                         [(f.token, f.body) for f in burst.families]), server)
            _report("burst POST", (t0_wall, results), None)
            answered = max(r.started + r.latency for r in results)
            decided = checks.verify(burst, results)
            print(f"every application answered after {answered:.2f} s; "
                  f"last decision written {decided - t0_wall:.2f} s after the start")
            locked = log.read_text(errors="replace").count("database is locked")
            print(f"'database is locked' in the server log (whole run): {locked}")
        return checks.FAILURES
    finally:
        if server is not None:
            _stop(server)
        if args.db == "postgres":
            _drop_pg_database(args.pg_name)


def _fire(job: Job, server: subprocess.Popen) -> tuple[float, list[Result]]:
    """Run ``job`` in a fresh process; print where the CPU went; return its wall-clock start
    and results."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        before = cpu.snapshot(server.pid)
        start, results, client_cpu = pool.apply(_timed_client, (job,))
        after = cpu.snapshot(server.pid)
    CPU_LINES.append(cpu.describe(before, after, client_cpu))
    return start, results


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed_client(job: Job) -> tuple[float, list[Result], float]:
    start = time.time()
    results = run_client(job)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return start, results, usage.ru_utime + usage.ru_stime


def _report(label: str, fired: tuple[float, list[Result]], duration: float | None) -> float:
    _, results = fired
    ok = [r for r in results if 200 <= r.status < 300]
    span = duration or max(r.started + r.latency for r in results)
    latencies = sorted(r.latency * 1000 for r in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    codes: dict[int, int] = {}
    for r in results:
        codes[r.status] = codes.get(r.status, 0) + 1
    errors = [r for r in results if not 200 <= r.status < 300]
    retried = sum(r.attempts > 1 for r in results)
    rate = len(ok) / span
    print(f"{label:<34}{rate:>9.0f} req/s  p50 {statistics.median(latencies):7.1f} ms  "
          f"p99 {p99:7.1f} ms  n={len(results)}  errors={len(errors)}  retried={retried}  "
          f"codes={dict(sorted(codes.items()))}")
    for sample in {r.error for r in errors if r.error}:
        print(f"    error: {sample[:200]}")
    if CPU_LINES:
        print(CPU_LINES.pop())
    return rate


def _start_gunicorn(args: argparse.Namespace, log: Path) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "kehou.wsgi",
        "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
        "--worker-class", "sync", "--backlog", "4096", "--timeout", "120",
        "--error-logfile", str(log), "--log-level", "warning",
    ]
    server = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
        command, cwd=ROOT, env=os.environ.copy(), start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if _get(args.port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _stop(server: subprocess.Popen) -> None:
    """Stop gunicorn's master and every worker (its own process group)."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            time.sleep(0.2)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(server.pid, signal.SIGKILL)  # a worker outliving its master
    except ProcessLookupError:
        pass


def _get(port: int, path: str, token: str = "") -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _warm_up(port: int, token: str) -> None:
    """Let both workers load every module (the first request of a worker imports a lot)."""
    for _ in range(20):
        _get(port, "/healthz")
        assert _get(port, "/api/enrollment/applications", token)[0] == 200


def _describe_db(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} (WAL, IMMEDIATE)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _recreate_pg_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_pg_database(name: str) -> None:
    import psycopg

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: BLE001, S110 — Django may not be set up yet
        pass
    from psycopg import sql

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
