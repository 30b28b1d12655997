"""Writes of showcases and competitions: one business action per function, in a transaction,
with its audit row. Refusals raise :class:`EventError` with messages for people."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from events.models import (
    Cohort,
    Form,
    GuardianPart,
    Invitation,
    Item,
    Milestone,
    Showcase,
)
from events.selectors import guardians_of_course
from notices.services import notify
from people.models import Staff
from programs.models import Offering, WeeklySlot
from schools.models import Term, Venue


class EventError(Exception):
    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        super().__init__("; ".join(self.problems))


def _require(problems: list[str]) -> None:
    if problems:
        raise EventError(problems)


# --- Showcase ---------------------------------------------------------------------------


@transaction.atomic
def create_showcase(
    *, term: Term, title: str, theme: str = "", notes: str = "", acting_user
) -> Showcase:
    title = (title or "").strip()
    _require([] if title else [_("Give the showcase a title.")])
    showcase = Showcase.objects.create(
        school_id=term.school_id,
        term=term,
        title=title,
        theme=theme.strip(),
        notes=notes,
        created_by=acting_user,
    )
    record_event(
        action="events.showcase_created", subject=showcase, actor=acting_user, new={"title": title}
    )
    return showcase


@transaction.atomic
def add_cohort(
    *,
    showcase: Showcase,
    weekdays: list[int],
    date: dt.date,
    start: dt.time,
    end: dt.time,
    acting_user,
) -> Cohort:
    """Plan 6 四: the courses of some weekdays report on one date (周一周三 → 1月12日)."""
    problems = []
    weekdays = sorted(set(weekdays))
    if not weekdays or any(d not in range(7) for d in weekdays):
        problems.append(_("Choose the weekdays whose courses report on this date."))
    taken = {d for c in showcase.cohorts.all() for d in c.weekdays}
    if taken & set(weekdays):
        problems.append(_("A weekday already belongs to another date of this showcase."))
    term = showcase.term
    if not term.start <= date <= term.end + dt.timedelta(days=31):
        problems.append(
            _("The date %(date)s is outside the term (%(start)s to %(end)s, or a month after).")
            % {"date": date, "start": term.start, "end": term.end}
        )
    if end <= start:
        problems.append(_("The end time must be after the start time."))
    _require(problems)
    cohort = Cohort.objects.create(
        showcase=showcase,
        school_id=showcase.school_id,
        weekdays=weekdays,
        date=date,
        start=start,
        end=end,
    )
    record_event(
        action="events.cohort_added",
        subject=cohort,
        actor=acting_user,
        new={"weekdays": weekdays, "date": date.isoformat()},
    )
    return cohort


@transaction.atomic
def add_item(
    *,
    cohort: Cohort,
    offering: Offering,
    form: str,
    venue: Venue,
    start: dt.time,
    end: dt.time,
    lead: Staff,
    teachers: list[Staff],
    guardian_part: str = GuardianPart.WHOLE,
    acting_user,
) -> Item:
    """Put a course in a cohort with its form, venue, time, lead and teachers (plan 6 七)."""
    school_id = cohort.school_id
    problems = []
    if offering.school_id != school_id or offering.term_id != cohort.showcase.term_id:
        problems.append(_("The course is not one of this term's courses."))
    elif not WeeklySlot.objects.filter(offering=offering, weekday__in=cohort.weekdays).exists():
        problems.append(
            _("“%(course)s” has no weekly slot on %(days)s, so it does not report on this date.")
            % {"course": offering.name, "days": cohort.label}
        )
    if Item.objects.filter(showcase_id=cohort.showcase_id, offering=offering).exists():
        problems.append(_("“%(course)s” is already in this showcase.") % {"course": offering.name})
    if form not in Form.values:
        problems.append(_("Choose a form: exhibition, friendly match, demo lesson or contest."))
    if guardian_part not in GuardianPart.values:
        problems.append(_("Say whether guardians are invited."))
    if (
        venue.school_id != school_id
        or lead.school_id != school_id
        or any(t.school_id != school_id for t in teachers)
    ):
        problems.append(_("The venue and the teachers must be of this school."))
    if end <= start or start < cohort.start or end > cohort.end:
        problems.append(
            _("The time must lie within %(start)s–%(end)s and end after it starts.")
            % {"start": f"{cohort.start:%H:%M}", "end": f"{cohort.end:%H:%M}"}
        )
    clash = Item.objects.filter(
        cohort__date=cohort.date, venue=venue, start__lt=end, end__gt=start, school_id=school_id
    )
    if clash.exists():
        problems.append(
            _("%(venue)s is taken at that time by “%(other)s”.")
            % {"venue": venue.name, "other": clash.first().offering.name}
        )
    _require(problems)
    item = Item.objects.create(
        cohort=cohort,
        showcase_id=cohort.showcase_id,
        school_id=school_id,
        offering=offering,
        form=form,
        venue=venue,
        start=start,
        end=end,
        lead=lead,
        guardian_part=guardian_part,
    )
    item.teachers.set({lead, *teachers})
    record_event(
        action="events.item_added",
        subject=item,
        actor=acting_user,
        new={"offering": offering.pk, "form": form, "lead": lead.pk},
    )
    return item


@transaction.atomic
def add_milestone(
    *, showcase: Showcase, title: str, due: dt.date, owner: Staff, acting_user
) -> Milestone:
    problems = []
    if not (title or "").strip():
        problems.append(_("Name the task."))
    if owner.school_id != showcase.school_id:
        problems.append(_("The owner must be of this school."))
    _require(problems)
    milestone = Milestone.objects.create(
        showcase=showcase, school_id=showcase.school_id, title=title.strip(), due=due, owner=owner
    )
    record_event(
        action="events.milestone_added",
        subject=milestone,
        actor=acting_user,
        new={"title": milestone.title, "due": due.isoformat(), "owner": owner.pk},
    )
    return milestone


@transaction.atomic
def mark_milestone_done(*, milestone: Milestone, acting_user) -> None:
    if milestone.done_at is None:
        milestone.done_at = timezone.now()
        milestone.save(update_fields=["done_at"])
        record_event(action="events.milestone_done", subject=milestone, actor=acting_user)


@transaction.atomic
def send_invitations(*, item: Item, acting_user) -> int:
    """Invite the guardians of the children placed in the course, each once (邀请函, plan 6
    七(五)2: 提前制作邀请函通知家长). Sending again reaches only guardians not yet invited.
    Return how many invitations were sent."""
    if item.guardian_part == GuardianPart.NONE:
        raise EventError(_("Guardians are not invited to this course's showcase."))
    guardians = guardians_of_course(item)
    already = set(Invitation.objects.filter(item=item).values_list("guardian_id", flat=True))
    cohort = item.cohort
    part = GuardianPart(item.guardian_part).label
    sent = 0
    for guardian_id, names in guardians.items():
        if guardian_id in already:
            continue
        invitation = Invitation.objects.create(
            item=item, school_id=item.school_id, guardian_id=guardian_id, children="、".join(names)
        )
        subject = _("Invitation: %(course)s showcase on %(date)s") % {
            "course": item.offering.name,
            "date": cohort.date.isoformat(),
        }
        body = _(
            "%(showcase)s. %(children)s will show what they learnt in %(course)s (%(form)s) on %(date)s, "
            "%(start)s–%(end)s, %(venue)s. %(part)s. Please answer whether you will come: %(url)s"
        ) % {
            "showcase": item.showcase.title,
            "children": invitation.children,
            "course": item.offering.name,
            "form": item.get_form_display(),
            "date": cohort.date.isoformat(),
            "start": f"{item.start:%H:%M}",
            "end": f"{item.end:%H:%M}",
            "venue": item.venue.name,
            "part": part,
            "url": reverse("events:invitation", args=[invitation.pk]),
        }
        invitation.notice = notify(
            guardian_id=guardian_id,
            school_id=item.school_id,
            kind="event_invitation",
            subject=subject,
            body=body,
        )
        invitation.save(update_fields=["notice"])
        sent += 1
    record_event(
        action="events.invitations_sent", subject=item, actor=acting_user, new={"sent": sent}
    )
    return sent


@transaction.atomic
def answer_invitation(
    *, invitation: Invitation, coming: bool, people: int, now: dt.datetime | None = None
) -> Invitation:
    """The guardian's answer: coming (with how many people) or not; changeable until the day."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update().select_related("item__cohort").get(pk=invitation.pk)
    )
    problems = []
    if timezone.localdate(now) > invitation.item.cohort.date:
        problems.append(_("The showcase is over; the answer can no longer be changed."))
    if coming and not 1 <= people <= Invitation.MAX_PEOPLE:
        problems.append(
            _("Say how many people will come: 1 to %(n)s.") % {"n": Invitation.MAX_PEOPLE}
        )
    _require(problems)
    old = {"answer": invitation.answer, "people": invitation.people}
    invitation.answer = Invitation.Answer.YES if coming else Invitation.Answer.NO
    invitation.people = people if coming else 0
    invitation.answered_at = now
    invitation.save(update_fields=["answer", "people", "answered_at"])
    record_event(
        action="events.invitation_answered",
        subject=invitation,
        actor=invitation.guardian.user,
        old=old,
        new={"answer": invitation.answer, "people": invitation.people},
    )
    return invitation


@transaction.atomic
def write_summary(*, item: Item, text: str, acting_user) -> None:
    """小结 (plan 6 七(五)5): what the course learnt, the children's results, next term."""
    text = (text or "").strip()
    _require([] if text else [_("The summary is empty.")])
    item.summary, item.summary_by, item.summary_at = text, acting_user, timezone.now()
    item.save(update_fields=["summary", "summary_by", "summary_at"])
    record_event(action="events.summary_written", subject=item, actor=acting_user)
