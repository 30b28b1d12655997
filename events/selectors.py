"""Reads of showcases and competitions, always scoped to who is asking (404 otherwise)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from events.models import (
    Cohort,
    Competition,
    Entry,
    Fixture,
    Invitation,
    Item,
    Media,
    Milestone,
    Showcase,
)
from people.actor import Actor
from people.models import Student, StudentGuardian
from people.roles import Capability


def _get(qs: QuerySet, pk: object):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage(actor: Actor) -> bool:
    return actor.is_staff_member and actor.may(Capability.MANAGE_EVENTS)


# --- Who is in a course ------------------------------------------------------------------


def placed_students(offering_ids: list[int]) -> QuerySet[Student]:
    """Return the children on roll placed in the offerings (a PLACED choice), as roll call
    counts them (attendance.selectors.session_children); class-based care counts its class."""
    from enrollment.models import Choice
    from programs.models import Offering

    placed = Choice.objects.filter(
        offering_id__in=offering_ids, status=Choice.Status.PLACED
    ).values("child_application__student_id")
    classes = Offering.objects.filter(pk__in=offering_ids, school_class__isnull=False).values(
        "school_class_id"
    )
    return Student.objects.filter(Q(pk__in=placed) | Q(school_class_id__in=classes), is_active=True)


def guardians_of_course(item: Item) -> dict[int, list[str]]:
    """Return {guardian id: the names of their children in the course}, for the invitations."""
    links = (
        StudentGuardian.objects.filter(
            school_id=item.school_id, student__in=placed_students([item.offering_id])
        )
        .select_related("student")
        .order_by("guardian_id", "student__pinyin")
    )
    out: dict[int, list[str]] = {}
    for link in links:
        out.setdefault(link.guardian_id, []).append(link.student.name)
    return out


# --- Showcases -------------------------------------------------------------------------


def showcases_for(actor: Actor) -> QuerySet[Showcase]:
    if not actor.is_staff_member or actor.school_id is None:
        return Showcase.objects.none()
    return Showcase.objects.filter(school_id=actor.school_id).select_related("term")


def get_showcase(actor: Actor, showcase_id: int) -> Showcase:
    return _get(showcases_for(actor), showcase_id)


def showcase_detail(showcase: Showcase) -> dict:
    """Return the showcase's cohorts with their items, the milestones and RSVP counts."""
    items = (
        Item.objects.filter(showcase=showcase)
        .select_related("offering", "venue", "lead", "cohort")
        .prefetch_related("teachers")
        .order_by("cohort__date", "start", "pk")
    )
    cohorts = list(Cohort.objects.filter(showcase=showcase).order_by("date", "start", "pk"))
    by_cohort: dict[int, list[Item]] = {c.pk: [] for c in cohorts}
    rsvp = rsvp_counts(showcase)
    for item in items:
        item.rsvp = rsvp.get(item.pk, RsvpCount())
        by_cohort[item.cohort_id].append(item)
    for cohort in cohorts:
        cohort.item_list = by_cohort[cohort.pk]
    milestones = list(
        Milestone.objects.filter(showcase=showcase).select_related("owner").order_by("due", "pk")
    )
    return {"cohorts": cohorts, "milestones": milestones}


@dataclass
class RsvpCount:
    invited: int = 0
    yes: int = 0
    no: int = 0
    people: int = 0


def rsvp_counts(showcase: Showcase) -> dict[int, RsvpCount]:
    out: dict[int, RsvpCount] = {}
    for item_id, answer, people in Invitation.objects.filter(item__showcase=showcase).values_list(
        "item_id", "answer", "people"
    ):
        c = out.setdefault(item_id, RsvpCount())
        c.invited += 1
        c.yes += answer == Invitation.Answer.YES
        c.no += answer == Invitation.Answer.NO
        c.people += people
    return out


def items_for(actor: Actor) -> QuerySet[Item]:
    return (
        Item.objects.filter(school_id=actor.school_id)
        if actor.is_staff_member
        else Item.objects.none()
    )


def get_item(actor: Actor, item_id: int) -> Item:
    return _get(
        items_for(actor).select_related("showcase", "cohort", "offering", "venue", "lead"), item_id
    )


def may_report(actor: Actor, item: Item) -> bool:
    """Leaders, the item's lead and its teachers upload photos and write the summary."""
    if may_manage(actor):
        return True
    return actor.staff_id == item.lead_id or item.teachers.filter(pk=actor.staff_id).exists()


# --- Guardians -------------------------------------------------------------------------


def invitations_of_guardian(guardian_id: int) -> list[Invitation]:
    return list(
        Invitation.objects.filter(guardian_id=guardian_id)
        .select_related("item__offering", "item__venue", "item__cohort", "item__showcase")
        .order_by("-item__cohort__date", "item__start", "pk")
    )


def get_invitation_for_guardian(actor: Actor, invitation_id: int) -> Invitation:
    """Return the guardian's own invitation; anyone else's is a 404, like a missing one."""
    if not actor.is_guardian:
        raise Http404
    qs = Invitation.objects.filter(guardian_id=actor.guardian_id).select_related(
        "item__offering", "item__venue", "item__cohort", "item__showcase", "item__lead", "school"
    )
    return _get(qs, invitation_id)


def get_media_for(actor: Actor, media_id: int) -> Media:
    """Staff of the school, or a guardian invited to the course, may open a photo or work."""
    scope = Q(pk__in=[])
    if actor.is_staff_member:
        scope |= Q(school_id=actor.school_id)
    if actor.is_guardian:
        scope |= Q(item__invitations__guardian_id=actor.guardian_id)
    return _get(Media.objects.filter(scope).distinct(), media_id)


# --- Competitions ----------------------------------------------------------------------


def competitions_for(actor: Actor) -> QuerySet[Competition]:
    """The school's competitions: for its staff, and for the guardians of its pupils."""
    scope = Q(pk__in=[])
    if actor.is_staff_member and actor.school_id is not None:
        scope |= Q(school_id=actor.school_id)
    if actor.is_guardian:
        scope |= Q(
            school_id__in=StudentGuardian.objects.filter(guardian_id=actor.guardian_id).values(
                "school_id"
            )
        )
    return Competition.objects.filter(scope)


def get_competition(actor: Actor, competition_id: int) -> Competition:
    return _get(competitions_for(actor), competition_id)


def headed_class_ids(actor: Actor) -> set[int]:
    from schools.models import SchoolClass

    if not actor.is_staff_member:
        return set()
    return set(
        SchoolClass.objects.filter(
            school_id=actor.school_id, head_teacher_id=actor.staff_id
        ).values_list("pk", flat=True)
    )


@dataclass
class Standing:
    rank: int | None
    entry: Entry
    value: Decimal | int | None = None
    tied: bool = False


def rank_entries(entries: list[Entry], scoring: str) -> list[Standing]:
    """Return the entries in ranking order; equal results share a rank and the next rank
    skips (1, 2, 2, 4 — how school results lists are written); no result yet: unranked, last."""
    key = "placement" if scoring == Competition.Scoring.PLACEMENT else "score"
    done = [e for e in entries if getattr(e, key) is not None]
    waiting = [e for e in entries if getattr(e, key) is None]
    # Placements and "lower wins" scores sort ascending; "higher wins" descending.
    ascending = scoring != Competition.Scoring.HIGHER_WINS
    done.sort(
        key=lambda e: (
            getattr(e, key) if ascending else -getattr(e, key),
            e.school_class.grade,
            e.school_class.number,
        )
    )
    out: list[Standing] = []
    for i, entry in enumerate(done):
        value = getattr(entry, key)
        if out and out[-1].value == value:
            rank = out[-1].rank
            out[-1].tied = True
            tied = True
        else:
            rank = entry.placement if key == "placement" else i + 1
            tied = False
        out.append(Standing(rank=rank, entry=entry, value=value, tied=tied))
    out += [
        Standing(rank=None, entry=e)
        for e in sorted(waiting, key=lambda e: (e.school_class.grade, e.school_class.number))
    ]
    return out


def competition_detail(competition: Competition) -> dict:
    entries = list(Entry.objects.filter(competition=competition).select_related("school_class"))
    fixtures = list(
        Fixture.objects.filter(competition=competition)
        .select_related("venue")
        .prefetch_related(Prefetch("entries", Entry.objects.select_related("school_class")))
    )
    return {
        "standings": rank_entries(entries, competition.scoring),
        "fixtures": fixtures,
        "entries": entries,
    }


def public_competition(*, school_code: str, competition_id: int) -> Competition:
    """A published competition of the school named by its code, else 404."""
    return _get(
        Competition.objects.filter(school__code=school_code, results_published=True).select_related(
            "school"
        ),
        competition_id,
    )


# --- Calendar --------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, label, url)


def month_grid(actor: Actor, year: int, month: int) -> list[list[Day]]:
    """Return the weeks (Monday first) of the month, each day with its events."""
    from django.urls import reverse

    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    days = {d: Day(date=d, in_month=d.month == month) for week in weeks for d in week}
    school = actor.school_id
    for cohort in Cohort.objects.filter(school_id=school, date__range=(first, last)).select_related(
        "showcase"
    ):
        url = reverse("events:showcase", args=[cohort.showcase_id])
        days[cohort.date].events.append(
            ("showcase", f"{cohort.showcase.title} · {cohort.label}", url)
        )
    for m in Milestone.objects.filter(
        school_id=school, due__range=(first, last), done_at__isnull=True
    ):
        days[m.due].events.append(
            ("milestone", m.title, reverse("events:showcase", args=[m.showcase_id]))
        )
    for c in Competition.objects.filter(school_id=school, start__lte=last, end__gte=first):
        url = reverse("events:competition", args=[c.pk])
        day = max(c.start, first)
        while day <= min(c.end, last):
            days[day].events.append(("competition", c.name, url))
            day += dt.timedelta(days=1)
    return [[days[d] for d in week] for week in weeks]
