"""manage.py pay_run --school CODE --month YYYY-MM [--commit] [--user USERNAME]: build the month's
pay run (a preview) and, with --commit, post it to the ledger once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from finance.ledger import LedgerError
from payroll.selectors import parse_month, run_lines, term_for_month, totals_of
from payroll.services import build_pay_run, commit_pay_run
from people.models import User
from schools.models import School


class Command(BaseCommand):
    help = "Build a month's pay run for a school (a preview); --commit posts it to the ledger, once."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="the school's code")
        parser.add_argument("--month", required=True, help="the month, YYYY-MM")
        parser.add_argument("--commit", action="store_true", help="commit after building")
        parser.add_argument("--user", help="username recorded as committing")

    def handle(self, *args, school: str, month: str, commit: bool = False, user: str | None = None, **options):
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(_("No school with code %(code)s.") % {"code": school})
        first = parse_month(month)
        if first is None:
            raise CommandError(_("%(value)s is not a month (YYYY-MM).") % {"value": month})
        term = term_for_month(found.pk, first)
        if term is None:
            raise CommandError(_("No term of %(school)s runs in %(month)s.") % {"school": found.name, "month": month})
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(_("No user %(name)s.") % {"name": user})
        try:
            run = build_pay_run(term=term, month=first, acting_user=acting_user)
            if commit:
                run = commit_pay_run(run=run, acting_user=acting_user)
        except LedgerError as e:
            raise CommandError(e.message) from None
        lines = run_lines(run)
        for line in lines:
            self.stdout.write(f"{line.staff.name}\t{line.periods}\t{line.teaching_pay}\t{line.subsidy}\t"
                              f"{line.external_pay}\t-{line.deducted}\t{line.net}")
        t = totals_of(lines)
        self.stdout.write(
            _("%(school)s %(month)s (%(status)s): %(n)d people, %(periods)d periods, net %(net)s.")
            % {"school": found.name, "month": month, "status": run.get_status_display(), "n": len(lines),
               "periods": t.periods, "net": t.net}
        )
