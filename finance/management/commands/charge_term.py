"""manage.py charge_term --term ID [--user USERNAME] [--no-refunds]: charge the term, refund absences."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from finance.enrolment import term_run
from finance.ledger import LedgerError
from people.models import User
from schools.calendar import CalendarYearUnknown
from schools.models import Term


class Command(BaseCommand):
    help = "Charge every approved child of the term and refund long absences (running it again posts nothing new)."

    def add_arguments(self, parser):
        parser.add_argument("--term", type=int, required=True, help="the term's id")
        parser.add_argument("--user", help="username recorded on the entries")
        parser.add_argument("--no-refunds", action="store_true", help="charge only")
        parser.add_argument("--no-progress", action="store_true", help="do not show progress")

    def handle(self, *args, term, user=None, no_refunds=False, no_progress=False, **options):
        term_obj = Term.objects.select_related("school").filter(pk=term).first()
        if term_obj is None:
            raise CommandError(_("No term with id %(id)s.") % {"id": term})
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(_("No user %(name)s.") % {"name": user})
        bar = None

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal bar
            if no_progress:
                return
            if bar is None:
                bar = tqdm(total=total, desc=_("Children"), file=sys.stderr, disable=None)
            bar.update(done - bar.n)

        try:
            result = term_run(term=term_obj, acting_user=acting_user, refunds=not no_refunds, progress=progress)
        except (LedgerError, CalendarYearUnknown) as e:
            raise CommandError(e.message) from None
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            _("%(term)s: %(n)d approved children; charged %(charged)s, %(refunds)d absence refunds of %(refunded)s "
              "(amounts posted by this run and earlier ones).")
            % {"term": term_obj, "n": result.children, "charged": result.charged, "refunds": result.refunds,
               "refunded": result.refunded}
        )
