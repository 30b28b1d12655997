"""What the enrollment rush bench checks in the database, and its driver-level ceiling.

Imported by ``bench/enroll_rush.py`` after ``django.setup()`` (except ``db_ceiling``, which
talks to the database through the driver only).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from _rush_client import Result
from _rush_seed import Group

FAILURES: list[str] = []


def print_query_counts(probe: Group) -> None:
    """Submit the probe families (one child, three children) in-process and count queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = []
    for family in probe.families:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/enrollment/applications", family.body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {family.token}",
            )
        assert response.status_code == 201, response.content
        counts.append(f"{family.children} child(ren)/{family.choices} choice(s): {len(captured)}")
    print("queries per submission (token's first use, decided at once): " + "; ".join(counts))


def db_ceiling(db: str, url: str, tmp: Path, offering_id: int, *, concurrency: int,
               duration: float, when_done: Callable[[], None] = lambda: None) -> float:
    """Return transactions/s of the bare capacity transaction, straight through the driver.

    Each: lock the club's row (SQLite: BEGIN IMMEDIATE), count the places it holds, insert
    one row, commit — the heart of a first-come submission, without Django or HTTP.
    ``when_done`` runs once every connection has finished, before any is closed.
    """
    finished = threading.Barrier(concurrency, action=when_done)
    done: list[int] = []
    errors: list[str] = []
    deadline = time.perf_counter() + 0.5 + duration
    start_at = deadline - duration

    if db == "postgres":
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, "
                         "offering_id bigint NOT NULL, status varchar(16) NOT NULL)")
            conn.execute("CREATE INDEX ON bench_ceiling (offering_id, status)")

        def work() -> None:
            n = 0
            with psycopg.connect(url) as conn:
                while time.perf_counter() < start_at:
                    time.sleep(0.001)
                while time.perf_counter() < deadline:
                    with conn.transaction():
                        capacity = conn.execute(
                            "SELECT capacity FROM programs_offering WHERE id = %s FOR UPDATE",
                            (offering_id,)).fetchone()[0]
                        taken = conn.execute(
                            "SELECT count(*) FROM bench_ceiling WHERE offering_id = %s "
                            "AND status IN ('placed', 'offered')", (offering_id,)).fetchone()[0]
                        conn.execute(
                            "INSERT INTO bench_ceiling (offering_id, status) VALUES (%s, %s)",
                            (offering_id, "placed" if taken < capacity else "waitlisted"))
                    n += 1
                finished.wait()
            done.append(n)
    else:
        path = str(tmp / "bench.sqlite3")
        setup = sqlite3.connect(path, isolation_level=None)
        setup.execute("CREATE TABLE bench_ceiling (id integer PRIMARY KEY AUTOINCREMENT, "
                      "offering_id bigint NOT NULL, status varchar(16) NOT NULL)")
        setup.execute("CREATE INDEX bench_ceiling_o_s ON bench_ceiling (offering_id, status)")
        setup.close()

        def work() -> None:
            n = 0
            conn = sqlite3.connect(path, timeout=20, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            while time.perf_counter() < start_at:
                time.sleep(0.001)
            while time.perf_counter() < deadline:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    capacity = conn.execute("SELECT capacity FROM programs_offering WHERE id = ?",
                                            (offering_id,)).fetchone()[0]
                    taken = conn.execute(
                        "SELECT count(*) FROM bench_ceiling WHERE offering_id = ? "
                        "AND status IN ('placed', 'offered')", (offering_id,)).fetchone()[0]
                    conn.execute("INSERT INTO bench_ceiling (offering_id, status) VALUES (?, ?)",
                                 (offering_id, "placed" if taken < capacity else "waitlisted"))
                    conn.execute("COMMIT")
                    n += 1
                except sqlite3.OperationalError as exc:
                    errors.append(str(exc))
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            finished.wait()
            conn.close()
            done.append(n)

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"database ceiling: {len(errors)} errors, e.g. {Counter(errors).most_common(1)}")
    return sum(done) / duration


def verify(group: Group, results: list[Result]) -> float:
    """Check the oversell rules for ``group`` after a phase; return the last decision's time
    (epoch seconds of the newest notice)."""
    from django.db.models import Count, Max

    from enrollment.models import Application, Choice
    from notices.models import Notice

    guardians = [f.guardian_id for f in group.families]
    answered: dict[int, set[int]] = defaultdict(set)
    for r in results:
        if r.application_id is not None:
            answered[r.request].add(r.application_id)
    problems = []
    split = [i for i, ids in answered.items() if len(ids) > 1]
    if split:
        problems.append(f"{len(split)} families got two different applications for one key")
    pairs = Counter(r.request for r in results)
    double_clicks = sum(1 for i, n in pairs.items() if n > 1 and len(answered[i]) == 1)
    applications = Application.objects.filter(guardian_id__in=guardians)
    in_db = set(applications.values_list("id", flat=True))
    returned = {i for ids in answered.values() for i in ids}
    if in_db != returned:
        problems.append(f"{len(in_db)} applications stored but {len(returned)} returned")
    twice = applications.values("guardian_id").annotate(n=Count("id")).filter(n__gt=1).count()
    if twice:
        problems.append(f"{twice} guardians have more than one application")
    choices = Choice.objects.filter(offering_id__in=group.clubs)
    status = Counter(dict(choices.values_list("status").annotate(n=Count("id"))))
    expected = sum(f.choices for i, f in enumerate(group.families) if i in answered)
    total = sum(status.values())
    if total != expected:
        problems.append(f"{total} choices stored, {expected} sent in answered applications")
    placed = dict(choices.filter(status__in=Choice.HOLDS_PLACE).values_list("offering_id")
                  .annotate(n=Count("id")))
    over = {club: n for club, n in placed.items() if n > group.clubs[club]}
    if over:
        problems.append(f"OVERSOLD clubs: {over}")
    for club in group.clubs:
        positions = sorted(choices.filter(offering_id=club, status=Choice.Status.WAITLISTED)
                           .values_list("waitlist_position", flat=True))
        if positions != list(range(1, len(positions) + 1)):
            problems.append(f"club {club}: waiting list positions are not 1..{len(positions)}")
    if status[Choice.Status.PENDING]:
        problems.append(f"{status[Choice.Status.PENDING]} choices still undecided")
    notices = Notice.objects.filter(guardian_id__in=guardians)
    submitted = notices.filter(kind="application.submitted").count()
    decided = notices.filter(kind__startswith="choice.").count()
    if submitted != len(in_db) or decided != total:
        problems.append(f"notices: {submitted} submitted for {len(in_db)} applications, "
                        f"{decided} decisions for {total} choices")
    last = notices.aggregate(m=Max("created_at"))["m"]
    capacity = sum(group.clubs.values())
    print(f"check {group.name}: applications {len(in_db)} (families answered {len(answered)}, "
          f"double-click pairs with one id {double_clicks}); choices {total} = placed "
          f"{status[Choice.Status.PLACED]} + waitlisted {status[Choice.Status.WAITLISTED]} + "
          f"refused {status[Choice.Status.REFUSED]} (pending {status[Choice.Status.PENDING]}); "
          f"places taken {sum(placed.values())}/{capacity}; notices {submitted} + {decided}: "
          + ("OK" if not problems else "FAILED: " + "; ".join(problems)))
    FAILURES.extend(problems)
    return last.timestamp() if last else 0.0
