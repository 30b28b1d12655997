"""Load the demo district: ``manage.py seed_demo --schools 2 --students 1500 --seed 7``."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.models import User
from schools.demo import DEMO_LOGINS, DISTRICT_CODE, seed_demo
from schools.models import District


class Command(BaseCommand):
    help = (
        "Create a demo district with schools, students, families, staff of every role and a term."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=2, help="number of primary schools")
        parser.add_argument(
            "--students", type=int, default=1500, help="students across all schools"
        )
        parser.add_argument("--seed", type=int, default=7, help="the same seed gives the same data")
        parser.add_argument(
            "--no-term", dest="life", action="store_false",
            help="only people and places: skip the plan, enrollment, groups, sessions and fees",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has a district (so `make demo` can rerun)",
        )

    def handle(
        self, *args, schools: int, students: int, seed: int, if_empty: bool, life: bool = True, **options
    ) -> None:
        if if_empty and District.objects.exists():
            self.stdout.write(
                "已有数据，跳过演示数据 / The database already has data; demo not loaded."
            )
            return
        if District.objects.filter(code=DISTRICT_CODE).exists():
            raise CommandError(
                f"演示数据已存在 / The demo district {DISTRICT_CODE} is already loaded "
                "(use --if-empty, or `make clean` for a fresh database)."
            )
        taken = sorted(
            User.objects.filter(username__in=[d.login for d in DEMO_LOGINS]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise CommandError(f"These demo usernames are already taken: {', '.join(taken)}")
        if schools < 1 or students < 6 * schools:
            raise CommandError("--schools must be at least 1 and --students at least 6 per school.")

        started = time.monotonic()
        summary = seed_demo(schools=schools, students=students, seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成 / Demo loaded in {time.monotonic() - started:.1f} s: "
                f"{summary.district}, {len(summary.schools)} schools ({'、'.join(summary.schools)}), "
                f"{summary.classes} classes, {summary.students} students, "
                f"{summary.guardians} guardians ({summary.sibling_families} families with siblings), "
                f"{summary.staff} staff, {summary.venues} venues."
            )
        )
        if not life:
            return
        from events.demo import plan_demo_events
        from schools.models import School, Term
        from simulation.demo_term import bring_term_to_life

        for school in School.objects.filter(district__code=DISTRICT_CODE).order_by("code"):
            started = time.monotonic()
            story = bring_term_to_life(school=school, term=Term.objects.get(school=school), seed=seed)
            plan_demo_events(school=school, term=Term.objects.get(school=school), seed=seed)
            self.stdout.write(
                f"{school.name}: 方案已公布, {story.applications} 份申请 / applications, "
                f"{story.children} 名学生获批 / approved, {story.placed} 个社团名额 / places, "
                f"{story.waitlisted} 候补 / waitlisted, {story.care_groups} 个看护班 / care groups, "
                f"{story.sessions} 次课 / sessions, 应收 {story.charged} 元, 已收 {story.paid} 元 "
                f"({time.monotonic() - started:.1f} s)"
            )
