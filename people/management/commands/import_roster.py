"""manage.py import_roster FILE --school CODE [--user USERNAME]: the roster import, with progress."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from people.models import User
from people.services import NotPermitted
from people.services_roster import RosterRejected, import_roster
from schools.models import School


class Command(BaseCommand):
    help = "Import students and guardians from an .xlsx or .csv roster (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file (see the template)")
        parser.add_argument("--school", required=True, help="the school's code")
        parser.add_argument(
            "--user", help="username recorded as the importer; must manage that school's roster"
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args, file, school, user=None, no_progress=False, **options):
        if not Path(file).is_file():
            raise CommandError(_("No file %(path)s.") % {"path": file})
        try:
            school_obj = School.objects.get(code=school)
        except School.DoesNotExist:
            raise CommandError(_("No school with code %(code)s.") % {"code": school}) from None
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(_("No user %(name)s.") % {"name": user})
        bars: dict[str, tqdm] = {}
        labels = {"read": _("Reading"), "check": _("Checking rows"), "save": _("Saving")}

        def progress(stage: str, done: int, total: int) -> None:
            if no_progress:
                return
            bar = bars.get(stage)
            if bar is None:
                for finished in bars.values():
                    finished.close()  # one bar at a time: reading, checking, saving
                # disable=None: a bar on a terminal, nothing in a log file or a cron mail.
                bar = bars[stage] = tqdm(
                    total=total or None, desc=labels[stage], file=sys.stderr, disable=None
                )
            bar.update(done - bar.n)

        try:
            result = import_roster(
                school=school_obj, rows_or_file=file, acting_user=acting_user, progress=progress
            )
        except NotPermitted:
            raise CommandError(
                _("%(name)s may not import the roster of %(school)s.")
                % {"name": user, "school": school_obj.name}
            ) from None
        except RosterRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was imported: %(n)d problems.") % {"n": len(rejected.errors)}
            ) from None
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            _(
                "Imported %(rows)d rows into %(school)s: %(created)d students added, "
                "%(updated)d updated, %(unchanged)d unchanged; %(guardians)d new guardians, "
                "%(links)d new guardian links."
            )
            % {
                "rows": result.rows,
                "school": school_obj.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "guardians": result.guardians_created,
                "links": result.links_created,
            }
        )
