"""Bring a demo school's term to life through the same services a user's clicks call.

Plan 2 as the school's plan (published after the parent committee's approval), an
enrollment window, interest groups with the five fixes, applications from most families,
the review chain, the allocation lottery, care groups, sessions, term charges and payments.
Deterministic for a seed. Used by ``seed_demo``; the full term simulator (issue 12) grows
from here.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Prefetch

from enrollment.allocation import allocate_term
from enrollment.models import ChildApplication, EnrollmentWindow, Review
from enrollment.services import ChildRequest, EnrollmentError, review, submit_application
from finance.services import charge_term, record_payment
from people.actor import actor_for
from people.consent import give_consent_in_bulk
from people.models import Guardian, Staff, StudentGuardian
from people.roles import Role
from plans.services import approve, create_draft_from_preset, publish
from programs.models import Offering
from programs.services import add_slot, create_offering, open_offering
from programs.services_groups import form_care_groups
from programs.sessions import generate_sessions
from schools.models import School, Term, Venue

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENS = dt.datetime(2026, 8, 20, 8, 0, tzinfo=SHANGHAI)
APPLIED = dt.datetime(2026, 8, 25, 20, 0, tzinfo=SHANGHAI)
GROUPS = [  # name, grades, capacity, weekday, venue kind
    ("面塑兴趣小组", [3, 4], 30, 0, "art_room"),
    ("国际象棋兴趣小组", [3, 4, 5, 6], 30, 1, "reading_room"),
    ("书法兴趣小组", [4, 5, 6], 30, 2, "art_room"),
    ("合唱兴趣小组", [1, 2, 3, 4, 5, 6], 40, 3, "music_room"),
    ("足球兴趣小组", [3, 4, 5, 6], 24, 4, "field"),
    ("绘本阅读兴趣小组", [1, 2], 35, 2, "reading_room"),
]


@dataclass
class TermStory:
    applications: int = 0
    children: int = 0
    returned: int = 0
    placed: int = 0
    waitlisted: int = 0
    care_groups: int = 0
    sessions: int = 0
    charged: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")


@transaction.atomic  # one commit: thousands of small ones would wait on the disk
def bring_term_to_life(*, school: School, term: Term, seed: int) -> TermStory:
    rng = random.Random(f"{seed}:{school.code}")  # noqa: S311 — demo data, not secrets
    story = TermStory()
    principal = Staff.objects.filter(school=school, roles__role=Role.PRINCIPAL).select_related("user").first()
    leader = actor_for(principal.user)

    plan = create_draft_from_preset(term=term, preset_key="p2", acting_user=principal.user)
    plan = approve(plan=plan, meeting_date=dt.date(2026, 8, 15), attendance=23, acting_user=principal.user,
                   note="家委会全体会议审议通过")
    publish(plan=plan, acting_user=principal.user)
    EnrollmentWindow.objects.create(term=term, school=school, opens_at=OPENS,
                                    closes_at=OPENS + dt.timedelta(days=20), offer_days=3)

    teachers = list(Staff.objects.filter(school=school, roles__role=Role.TEACHER).order_by("pk"))
    venues = {v.kind: v for v in Venue.objects.filter(school=school).order_by("pk")}
    for i, (name, grades, capacity, weekday, kind) in enumerate(GROUPS):
        offering = create_offering(
            term=term, kind=Offering.Kind.INTEREST_GROUP, name=name, grades=grades, capacity=capacity,
            content=f"{name}：每周一次，循序渐进", activity_plan="\n".join(f"第{w}周 主题{w}" for w in range(1, 17)),
            acting_user=principal.user,
        )
        add_slot(offering=offering, weekday=weekday, start=dt.time(16, 30), end=dt.time(17, 30),
                 venue=venues[kind], instructor=teachers[i % len(teachers)], acting_user=principal.user)
        open_offering(offering=offering, acting_user=principal.user)

    offerings = list(Offering.objects.filter(term=term, status=Offering.Status.OPEN).order_by("pk"))
    guardians = (
        Guardian.objects.filter(student_links__school=school, student_links__is_primary=True)
        .distinct()
        .order_by("pk")
        .prefetch_related(Prefetch("student_links", StudentGuardian.objects.filter(school=school)
                                   .select_related("student__school_class")))
    )
    for guardian in guardians:
        if rng.random() > 0.6:
            continue
        # The family consents to the service first (PIPL art. 31; people/consent.py).
        give_consent_in_bulk(links=list(guardian.student_links.all()), now=APPLIED)
        requests = []
        for link in guardian.student_links.all():
            grade = link.student.school_class.grade
            eligible = [o.pk for o in offerings if grade in o.grades]
            requests.append(ChildRequest(
                student_id=link.student_id, after_school=True,
                choices=rng.sample(eligible, k=min(2, len(eligible))), keep_with_siblings=len(requests) > 0,
            ))
        try:
            submit_application(guardian=guardian, term=term, children=requests,
                               idempotency_key=f"demo-{guardian.pk}", agreement_accepted=True, now=APPLIED)
        except EnrollmentError:
            continue
        story.applications += 1

    for child in ChildApplication.objects.filter(term=term).select_related("student__school_class__head_teacher__user"):
        head = child.student.school_class.head_teacher
        # Head teachers without a login in the demo are stood in for by the principal.
        reviewer = actor_for(head.user) if head and head.user else leader
        if rng.random() < 0.02:
            review(child=child, step=Review.Step.CLASS, approve=False, reason="请补充紧急联系人电话",
                   actor=reviewer)
            story.returned += 1
            continue
        review(child=child, step=Review.Step.CLASS, approve=True, reason="", actor=reviewer)
        review(child=child, step=Review.Step.SCHOOL, approve=True, reason="", actor=leader)
        story.children += 1

    report = allocate_term(term=term, acting_user=principal.user, seed=f"demo-{seed}", now=APPLIED)
    story.placed, story.waitlisted = report.placed, report.waitlisted

    approved = list(ChildApplication.objects.filter(term=term, status=ChildApplication.Status.APPROVED,
                                                    wants_after_school=True).select_related("student__school_class"))
    run = form_care_groups(term=term, service="after_school", student_ids=[c.student_id for c in approved],
                           acting_user=principal.user)
    story.care_groups = run.groups.count()
    story.sessions = generate_sessions(term=term, acting_user=principal.user).created

    finance = Staff.objects.filter(school=school, roles__role=Role.FINANCE).select_related("user").first()
    for child in approved:
        for fee in charge_term(term=term, student=child.student, services={"after_school"}, acting_user=finance.user):
            story.charged += fee.gross
            if fee.due and rng.random() < 0.85:
                record_payment(term=term, student=child.student, amount=fee.due, date=dt.date(2026, 9, 8),
                               reference=f"WX-DEMO-{child.receipt}", acting_user=finance.user)
                story.paid += fee.due
    return story
