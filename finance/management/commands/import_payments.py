"""manage.py import_payments FILE --school CODE [--user USERNAME]: a payment statement, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from finance.payments import StatementRejected, import_statement
from people.models import User
from schools.models import School


class Command(BaseCommand):
    help = "Import a payment-platform or bank statement (.xlsx or .csv); the same file twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv statement (see the template)")
        parser.add_argument("--school", required=True, help="the school's code")
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file, school, user=None, **options):
        if not Path(file).is_file():
            raise CommandError(_("No file %(path)s.") % {"path": file})
        school_obj = School.objects.filter(code=school).first()
        if school_obj is None:
            raise CommandError(_("No school with code %(code)s.") % {"code": school})
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(_("No user %(name)s.") % {"name": user})
        try:
            result = import_statement(school=school_obj, source=file, acting_user=acting_user)
        except StatementRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(_("Nothing was imported: %(n)d problems.") % {"n": len(rejected.errors)}) from None
        self.stdout.write(
            _("%(rows)d payments read: %(matched)d matched to a child, %(queued)d waiting for a person, "
              "%(already)d imported before.")
            % {"rows": result.rows, "matched": result.matched, "queued": result.queued,
               "already": result.already_imported}
        )
