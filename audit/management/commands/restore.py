"""manage.py restore PATH [--yes]: replace the database with a backup and show the figures."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lib import backup as b


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`; refuses to overwrite data without --yes."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--yes", action="store_true", help="overwrite a database that has data")

    def handle(self, *args, path: str, yes: bool = False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup at {source}.")
        tables = set(connection.introspection.table_names())
        before = b.snapshot() if "finance_journalline" in tables else None
        if before is not None and before.total_rows and not yes:
            raise CommandError(
                f"The database is not empty ({before.total_rows} rows). "
                "Restoring replaces everything in it: run again with --yes."
            )
        if before is not None:
            self.stdout.write("Before:")
            self.stdout.write("\n".join(before.lines()))
        try:
            b.restore(source)
        except b.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {source}. After:")
        self.stdout.write("\n".join(b.snapshot().lines()))
