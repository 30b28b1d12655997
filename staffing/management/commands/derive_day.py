"""manage.py derive_day --school CODE --date YYYY-MM-DD: fill the day's teaching records and events."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schools.models import School
from staffing.models import PerformanceEvent
from staffing.services import derive_day


class Command(BaseCommand):
    help = "Derive a day's teaching records and breach events from sessions, roll calls and hand-overs (re-runnable)."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="the school's code")
        parser.add_argument("--date", required=True, help="the day, YYYY-MM-DD")

    def handle(self, *args, school: str, date: str, **options):
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(_("No school with code %(code)s.") % {"code": school})
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": date}) from None
        records = derive_day(school_id=found.pk, date=day)
        events = PerformanceEvent.objects.filter(school_id=found.pk, date=day).exclude(
            kind=PerformanceEvent.Kind.COMMENDATION).count()
        self.stdout.write(
            _("%(school)s %(date)s: %(n)d teaching records derived; %(e)d breach events on the day.")
            % {"school": found.name, "date": day.isoformat(), "n": len(records), "e": events}
        )
