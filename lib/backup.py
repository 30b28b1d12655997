"""Back up and restore the whole database (issue 11 §8).

SQLite: SQLite's online backup API copies a consistent snapshot while the site runs, and
restores by copying the snapshot back page by page. PostgreSQL: ``pg_dump -Fc`` and
``pg_restore --clean --if-exists``, with the client binaries of the server's major version.
Both report row counts per table and the ledger figures, so a restore can be checked
against the backup it came from (the restore drill in audit/tests/test_backup_drill.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump/pg_restore with fixed arguments)
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connection, connections
from django.db.models import Count, Q, Sum

FEN = Decimal("0.01")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Snapshot:
    """Row counts per table and the ledger's figures at one moment."""

    rows: dict[str, int]
    ledger_debits: Decimal
    ledger_net: Decimal
    journal_entries: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        out = [f"  {table}: {n}" for table, n in sorted(self.rows.items()) if n]
        out.append(
            f"  rows in all: {self.total_rows} in {sum(1 for n in self.rows.values() if n)} tables"
        )
        out.append(
            f"  ledger: {self.journal_entries} entries, debits {self.ledger_debits} yuan, "
            f"net {self.ledger_net} yuan"
        )
        return out


def snapshot() -> Snapshot:
    """Count every table's rows and sum the ledger (debits are the positive lines)."""
    from finance.models import JournalEntry, JournalLine

    rows = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        rows[meta.db_table] = model._base_manager.count()
        for field in meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                rows[through._meta.db_table] = through._base_manager.count()
    money = JournalLine.objects.aggregate(
        debits=Sum("amount", filter=Q(amount__gt=0)), net=Sum("amount"), n=Count("id")
    )
    return Snapshot(
        rows=rows,
        ledger_debits=Decimal(money["debits"] or 0).quantize(FEN),
        ledger_net=Decimal(money["net"] or 0).quantize(FEN),
        journal_entries=JournalEntry.objects.count(),
    )


def _settings():
    return connection.settings_dict


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def default_suffix() -> str:
    return ".sqlite3" if is_sqlite() else ".dump"


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path() -> str:
    name = str(_settings()["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return name


def _sqlite_copy(source: str, target: str) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_binary(name: str) -> str:
    """Return the client binary matching the server's major version, else the one on PATH."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if versioned.exists():
        return str(versioned)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found; install postgresql-client-{major}.")
    return found


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    s = _settings()
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- The two actions ------------------------------------------------------------------------


def backup(output: Path) -> Path:
    """Write a consistent copy of the database to ``output``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite():
        connection.close()
        _sqlite_copy(_sqlite_path(), str(output))
    else:
        env, args = _pg_env_and_args()
        _run(
            [_pg_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(output), *args],
            env,
        )
    return output


def restore(source: Path) -> None:
    """Replace the database's contents with the backup at ``source``."""
    if not source.is_file():
        raise BackupError(f"No backup at {source}.")
    if is_sqlite():
        with source.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not an SQLite backup.")
        target = _sqlite_path()
        for conn in connections.all():
            conn.close()
        _sqlite_copy(str(source), target)
    else:
        with source.open("rb") as f:
            if f.read(5) != b"PGDMP":
                raise BackupError(f"{source} is not a pg_dump custom-format backup.")
        env, args = _pg_env_and_args()
        binary = _pg_binary("pg_restore")
        for conn in connections.all():
            conn.close()
        _run(
            [
                binary,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
        )
