"""The restore drill (issue 11 §8): back up, damage, restore, and compare with the original.

The commands run in a separate process against a database of their own — an SQLite file
in a temporary directory, or a throwaway PostgreSQL database — freshly migrated and loaded
with the demo school (which includes fees charged and paid, so the ledger has entries).
"""

from __future__ import annotations

import json
import os
import subprocess  # noqa: S404
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")

SNAPSHOT = (
    "import json; from lib.backup import snapshot; from people.models import Student; s = snapshot(); "
    "print(json.dumps({'rows': s.rows, 'debits': str(s.ledger_debits), 'net': str(s.ledger_net), "
    "'entries': s.journal_entries, 'names': sorted(Student.objects.values_list('name', flat=True))}))"
)
# Damage of three kinds: a money write, deleted rows and edited rows.
DAMAGE = (
    "from finance.models import JournalEntry; from finance.ledger import reverse_entry; "
    "from notices.models import Notice; from people.models import Student; "
    "reverse_entry(entry=JournalEntry.objects.filter(reverses__isnull=True).first(), memo='drill', "
    "acting_user=None); Notice.objects.all().delete(); Student.objects.update(name='改名')"
)


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def figures(env: dict[str, str]) -> dict:
    return json.loads(manage(env, "shell", "-c", SNAPSHOT).stdout.strip().splitlines()[-1])


def drill(env: dict[str, str], backup_file: Path) -> None:
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--schools", "1", "--students", "30", "--seed", "3")
    original = figures(env)
    assert original["entries"] > 0 and original["debits"] != "0.00"
    assert original["rows"]["people_student"] == 30

    out = manage(env, "backup", "--output", str(backup_file)).stdout
    assert backup_file.stat().st_size > 0
    assert f"debits {original['debits']} yuan" in out

    manage(env, "shell", "-c", DAMAGE)
    damaged = figures(env)
    assert damaged["rows"] != original["rows"] and damaged["entries"] == original["entries"] + 1

    refused = manage(env, "restore", str(backup_file), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert figures(env) == damaged  # the refusal changed nothing

    out = manage(env, "restore", str(backup_file), "--yes").stdout
    restored = figures(env)
    assert restored == original
    assert f"debits {original['debits']} yuan" in out.split("After:")[-1]


def test_sqlite_backup_and_restore_give_back_every_row_and_the_ledger(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KEHOU_VAR_DIR"] = str(tmp_path)
    drill(env, tmp_path / "backup.sqlite3")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["KEHOU_VAR_DIR"] = str(tmp_path)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    done = manage(env, "restore", str(bogus), "--yes", check=False)
    assert done.returncode != 0 and "not an SQLite backup" in done.stderr


@pytest.mark.postgres
def test_postgresql_backup_and_restore_give_back_every_row_and_the_ledger(tmp_path):
    import psycopg

    db = settings.DATABASES["default"]
    server = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    name = f"kehou_trust_drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = dict(os.environ)
        password = f":{server['password']}" if server["password"] else ""
        env["DATABASE_URL"] = (
            f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
        )
        env["KEHOU_VAR_DIR"] = str(tmp_path)
        drill(env, tmp_path / "backup.dump")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
