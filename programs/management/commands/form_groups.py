"""Form the care groups (编班) of a term's class-based care service from the command line.

    manage.py form_groups --term 3 --service noon_care

Runs the same service as the group forming page, over the same participants
(``programs.selectors.care_participants``), and prints the groups and the changes since
the last run.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from programs.models import GroupFormingRun
from programs.selectors import care_participants, groups_of_run
from programs.services import ProgramError
from programs.services_groups import form_care_groups
from schools.models import Term


class Command(BaseCommand):
    help = "Form the care groups of a term's after-school or noon-care service."

    def add_arguments(self, parser):
        parser.add_argument("--term", type=int, required=True, help="id of the term")
        parser.add_argument(
            "--service",
            required=True,
            choices=GroupFormingRun.Service.values,
            help="the class-based care service",
        )

    def handle(self, *args, term: int, service: str, **options):
        try:
            term_row = Term.objects.select_related("school").get(pk=term)
        except Term.DoesNotExist:
            raise CommandError(f"No term {term}.") from None
        try:
            run = form_care_groups(
                term=term_row,
                service=service,
                student_ids=care_participants(term_row, service),
                acting_user=None,
            )
        except ProgramError as exc:
            raise CommandError("\n".join(exc.problems)) from None
        groups = groups_of_run(run)
        for group in groups:
            size = len(group.members.all())
            self.stdout.write(f"{group.name}\t{group.venue.name}\t{size}\t{group.reason}")
        for change in run.changes:
            self.stdout.write(f"{change['name']}: {change['from'] or '—'} → {change['to'] or '—'}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{term_row}: {len(groups)} groups, {len(run.changes)} changes (run {run.pk})"
            )
        )
