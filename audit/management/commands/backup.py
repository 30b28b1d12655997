"""manage.py backup [--output PATH]: a consistent copy of the database, with its figures."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lib import backup as b


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) and print row counts and ledger sums."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: var/backups/kehou-<time>)")

    def handle(self, *args, output: str | None = None, **options):
        path = (
            Path(output)
            if output
            else (
                Path(settings.VAR_DIR)
                / "backups"
                / f"kehou-{timezone.now():%Y%m%d-%H%M%S}{b.default_suffix()}"
            )
        )
        before = b.snapshot()
        try:
            b.backup(path)
        except b.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size} bytes)")
        self.stdout.write("\n".join(before.lines()))
