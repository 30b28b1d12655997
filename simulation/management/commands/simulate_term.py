"""Simulate a term: ``manage.py simulate_term --preset p1 --students 600 --seed 3 --faults 0.02 --json out.json``."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simulation.invariants import InvariantError
from simulation.term import PRESETS, SimulationError, parse_faults, simulate_term


class _Bar:
    """tqdm when it is installed, else a plain bar on stderr."""

    def __init__(self, label: str):
        self.label, self.bar = label, None
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is installed here
            self.tqdm = None
        else:
            self.tqdm = tqdm

    def __call__(self, done: int, total: int, what: str) -> None:
        if self.tqdm is not None:
            if self.bar is None:
                self.bar = self.tqdm(total=total, desc=self.label, unit="day", file=sys.stderr)
            self.bar.set_postfix_str(what, refresh=False)
            self.bar.update(done - self.bar.n)
            return
        width = 40
        filled = width * done // max(total, 1)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {what}"
        )
        if done == total:
            sys.stderr.write("\n")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = "Create a school under a preset plan and play a whole term through the services; check the invariants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--preset", choices=PRESETS, default="p1", help="the seed plan (p1 … p7)"
        )
        parser.add_argument("--students", type=int, default=300, help="children in the school")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same term")
        parser.add_argument(
            "--faults",
            default="",
            help="one rate for every kind (0.02) or kind=rate pairs: missed_handover, count_mismatch, "
            "unauthorised_pickup, absent_without_note, late_pickup, late_teacher",
        )
        parser.add_argument(
            "--json", dest="json_path", default="", help="write the summary to this file"
        )
        parser.add_argument(
            "--until", default="", help="stop after this date (YYYY-MM-DD); no settlement then"
        )
        parser.add_argument(
            "--weeks", type=int, default=None, help="a short term of this many weeks"
        )

    def handle(
        self,
        *args,
        preset: str,
        students: int,
        seed: int,
        faults: str,
        json_path: str,
        until: str,
        weeks: int | None,
        **options,
    ) -> None:
        try:
            rates = parse_faults(faults)
            stop = dt.date.fromisoformat(until) if until else None
        except (SimulationError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        bar = _Bar(f"{preset} × {students}")
        started = time.monotonic()
        try:
            summary = simulate_term(
                preset, students, seed, faults=rates, until=stop, progress=bar, weeks=weeks
            )
        except SimulationError as exc:
            raise CommandError(str(exc)) from None
        except InvariantError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        data = summary.as_dict()
        if json_path:
            with open(json_path, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2, default=str)
        self.stdout.write(
            self.style.SUCCESS(
                f"{preset}: {summary.students} children, {summary.approved} in care, {summary.care_groups} groups, "
                f"{summary.days} school days to {summary.last_day} in {time.monotonic() - started:.1f} s; "
                f"charged {summary.charged}, paid {summary.paid}, waived {summary.waived}, refunded {summary.refunded}, "
                f"outstanding {summary.outstanding}; period value {summary.period_value}; "
                f"faults injected {sum(summary.faults_injected.values())}, "
                f"detected {sum(summary.faults_detected.values())}, false alarms {len(summary.false_alarms)}; "
                "invariants hold."
            )
        )
