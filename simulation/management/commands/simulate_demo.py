"""One school per seed plan, each term simulated up to today: ``manage.py simulate_demo``.

Seven schools in the district 七方案示范区 (code SIM-PLANS), one a preset, each played day by
day through the services up to today (or its term's end: plan 7 runs in its own spring 2022
term, so it is a finished term with settlement and public accounts). Each school's principal
can log in as ``p1-principal`` … ``p7-principal`` with the demo password, to click through
that plan's pages.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from people.models import Staff
from people.roles import Role
from schools.demo import DEMO_PASSWORD
from schools.models import District, School
from simulation.invariants import InvariantError
from simulation.management.commands.simulate_term import _Bar
from simulation.term import AUTUMN_2026, PRESETS, TERM_OF_PRESET, SimulationError, simulate_term

CODE = "SIM-PLANS"


class Command(BaseCommand):
    help = "Load a district with one simulated school per seed plan, each term played up to today."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=24, help="children in each school")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--until", default="", help="play up to this date (default: today)")
        parser.add_argument("--faults", default="0.01", help="fault rates, as for simulate_term")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the district exists"
        )
        parser.add_argument(
            "--presets", default=",".join(PRESETS), help="which presets (default: all seven)"
        )

    def handle(
        self,
        *args,
        students: int,
        seed: int,
        until: str,
        faults: str,
        if_empty: bool,
        presets: str = ",".join(PRESETS),
        **options,
    ) -> None:
        if District.objects.filter(code=CODE).exists():
            if if_empty:
                self.stdout.write(
                    "七方案示范区已存在，跳过 / The seven-plan district is already loaded."
                )
                return
            raise CommandError(f"The district {CODE} is already loaded (use --if-empty).")
        try:
            today = dt.date.fromisoformat(until) if until else timezone.localdate()
        except ValueError:
            raise CommandError("--until is a date: YYYY-MM-DD.") from None
        chosen = [p.strip() for p in presets.split(",") if p.strip()]
        if not chosen or set(chosen) - set(PRESETS):
            raise CommandError(f"--presets: choose among {', '.join(PRESETS)}.")
        district = District.objects.create(name="七方案示范区", code=CODE)
        for preset in chosen:
            dates = TERM_OF_PRESET.get(preset, AUTUMN_2026)
            stop = min(today, dates.end)
            if stop < dates.start:
                raise CommandError(f"{preset}: its term starts {dates.start}, after {stop}.")
            started = time.monotonic()
            bar = _Bar(preset)
            try:
                s = simulate_term(
                    preset,
                    students,
                    seed,
                    faults=faults,
                    until=stop,
                    progress=bar,
                    district=district,
                )
            except (SimulationError, InvariantError) as exc:
                raise CommandError(f"{preset}: {exc}") from None
            finally:
                bar.close()
            principal = (
                Staff.objects.filter(school_id=s.school_id, roles__role=Role.PRINCIPAL)
                .select_related("user")
                .first()
            )
            principal.user.username = f"{preset}-principal"
            principal.user.set_password(DEMO_PASSWORD)
            principal.user.save(update_fields=["username", "password"])
            school = School.objects.get(pk=s.school_id)
            self.stdout.write(
                f"{preset}: {school.name}, {s.days} school days to {s.last_day}, {s.approved} in care, "
                f"charged {s.charged}, paid {s.paid}, login {principal.user.username} "
                f"({time.monotonic() - started:.1f} s)"
            )
