"""Events for a demo school: the end-of-term showcase (plan 6) and a singing contest (plan 4).

Called by ``seed_demo`` after the school's term has come to life, through the same services
the pages call. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from events import services
from events import services_competitions as contests
from events.models import Competition, Form, GuardianPart
from people.models import Staff
from people.roles import Role
from programs.models import Offering
from schools.models import School, SchoolClass, Term, Venue

# Plan 6 七: calligraphy and art are shown as works, chess and ball games as friendly
# matches, music and dance as demo lessons, thinking and reading as contests.
FORMS = {
    "书法": Form.EXHIBITION,
    "面塑": Form.EXHIBITION,
    "美术": Form.EXHIBITION,
    "象棋": Form.FRIENDLY_MATCH,
    "足球": Form.FRIENDLY_MATCH,
    "篮球": Form.FRIENDLY_MATCH,
    "合唱": Form.DEMO_LESSON,
    "舞蹈": Form.DEMO_LESSON,
}


@dataclass
class EventsStory:
    items: int = 0
    invitations: int = 0
    entries: int = 0


def _form(name: str) -> str:
    return next((form for key, form in FORMS.items() if key in name), Form.CONTEST)


@transaction.atomic
def plan_demo_events(*, school: School, term: Term, seed: int) -> EventsStory:
    rng = random.Random(f"{seed}:{school.code}:events")  # noqa: S311 — demo data
    story = EventsStory()
    principal = (
        Staff.objects.filter(school=school, roles__role=Role.PRINCIPAL)
        .select_related("user")
        .first()
    )
    user = principal.user
    showcase = services.create_showcase(
        term=term, title=f"{term.name}课后服务结业汇报", theme="做最好的自己！", acting_user=user
    )
    # Plan 6 四: the courses of some weekdays report together, in the last fortnight of term.
    last = term.end
    dates = [last - dt.timedelta(days=d) for d in (10, 9, 8)]
    cohorts = [
        services.add_cohort(
            showcase=showcase,
            weekdays=days,
            date=date,
            start=dt.time(15, 30),
            end=dt.time(17, 30),
            acting_user=user,
        )
        for days, date in zip(([0, 2], [1, 3], [4]), dates, strict=True)
    ]
    offerings = (
        Offering.objects.filter(term=term, status=Offering.Status.OPEN)
        .exclude(kind__in=Offering.CLASS_BASED)
        .prefetch_related("slots__venue", "slots__instructor")
        .order_by("pk")
    )
    hall = Venue.objects.filter(school=school, kind=Venue.Kind.HALL).first()
    used: dict[tuple[int, int], list[dt.time]] = {}
    for offering in offerings:
        slot = offering.slots.all()[0] if offering.slots.all() else None
        if slot is None:
            continue
        cohort = next(c for c in cohorts if slot.weekday in c.weekdays)
        venue = slot.venue
        # One hour each; a second course in the same room takes the next hour.
        taken = used.setdefault((cohort.pk, venue.pk), [])
        if len(taken) >= 2 and hall is not None:
            venue = hall
            taken = used.setdefault((cohort.pk, venue.pk), [])
        start = dt.time(15, 30) if not taken else dt.time(16, 30)
        taken.append(start)
        end = dt.time(start.hour + 1, start.minute)
        try:
            item = services.add_item(
                cohort=cohort,
                offering=offering,
                form=_form(offering.name),
                venue=venue,
                start=start,
                end=end,
                lead=slot.instructor,
                teachers=[],
                guardian_part=GuardianPart.SECOND_HALF
                if rng.random() < 0.3
                else GuardianPart.WHOLE,
                acting_user=user,
            )
        except services.EventError:
            continue
        story.items += 1
        story.invitations += services.send_invitations(item=item, acting_user=user)
    teachers = list(
        Staff.objects.filter(school=school, roles__role=Role.TEACHER).order_by("pk")[:3]
    ) or [principal]
    # Plan 6 八: 汇报方案讨论, 结课汇报布置会, 各学科汇报方案和形式审核.
    for title, days_before, owner in (
        ("汇报方案讨论", 26, principal),
        ("课后服务中心结课汇报布置会", 15, principal),
        ("各学科汇报方案和形式审核", 12, teachers[0]),
        ("邀请函发送、场地布置", 11, teachers[-1]),
    ):
        services.add_milestone(
            showcase=showcase,
            title=title,
            due=dates[0] - dt.timedelta(days=days_before),
            owner=owner,
            acting_user=user,
        )

    # Plan 4 六.2: 班级之间的歌咏比赛, grades 3 and 4, results published.
    start = term.start + dt.timedelta(days=70)
    contest = contests.create_competition(
        school_id=school.pk,
        name="班级歌咏比赛",
        kind=Competition.Kind.SINGING,
        scoring=Competition.Scoring.HIGHER_WINS,
        start=start,
        end=start,
        entries_close=start - dt.timedelta(days=7),
        grades=[3, 4],
        acting_user=user,
    )
    entries = [
        contests.enter_class(
            competition=contest, school_class=c, title="合唱", may_override=True, acting_user=user
        )
        for c in SchoolClass.objects.filter(school=school, grade__in=[3, 4]).order_by(
            "grade", "number"
        )
    ]
    story.entries = len(entries)
    if hall and entries:
        from zoneinfo import ZoneInfo

        at = dt.datetime.combine(start, dt.time(15, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
        contests.add_fixture(
            competition=contest,
            round_name="决赛",
            starts_at=at,
            venue=hall,
            entries=entries,
            acting_user=user,
        )
    scores = {e.pk: f"{rng.choice(range(85, 99))}.{rng.choice([0, 5])}" for e in entries}
    contests.record_results(competition=contest, results=scores, acting_user=user)
    contests.set_results_published(competition=contest, published=True, acting_user=user)
    return story
