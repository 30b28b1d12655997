"""Check a plan version, or a preset for a term, against the limits in force.

    manage.py plan_check --plan 12
    manage.py plan_check --term 3 --preset p7

Prints each problem (the rule, the plan's value, the limit, the difference) and exits
with status 1 when there is one, so a script can stop before publishing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from plans.checks import check_limits, facts_for_term
from plans.models import SchoolPlan
from plans.policy import PlanInvalid, parse_document
from plans.presets import PRESET_KEYS, load_preset
from plans.services import publication_problems
from schools.calendar import CalendarYearUnknown
from schools.models import Term


class Command(BaseCommand):
    help = "Check a school plan (or a preset for a term) against the limits in force."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="id of a plan version")
        parser.add_argument("--term", type=int, help="id of a term (with --preset)")
        parser.add_argument("--preset", choices=PRESET_KEYS, help="preset to check for the term")

    def handle(self, *args, plan=None, term=None, preset=None, **options):
        if plan:
            try:
                version = SchoolPlan.objects.select_related("term").get(pk=plan)
            except SchoolPlan.DoesNotExist:
                raise CommandError(f"No plan {plan}.") from None
            problems = publication_problems(version)
        elif term and preset:
            try:
                term_row = Term.objects.get(pk=term)
            except Term.DoesNotExist:
                raise CommandError(f"No term {term}.") from None
            try:
                doc = parse_document(load_preset(preset).document)
                problems = [b.message for b in check_limits(doc, facts_for_term(term_row))]
            except PlanInvalid as exc:
                problems = [f"{path}: {message}" for path, message in exc.errors]
            except CalendarYearUnknown as exc:
                problems = [exc.message]
        else:
            raise CommandError("Give --plan, or --term with --preset.")
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("OK"))
