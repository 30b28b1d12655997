"""Giving places: first-come under a row lock, or priority tiers then a seeded lottery; the
waiting list with offers that expire. Capacity is counted inside the transaction after the
offering's row is locked (never a free-floating counter), so no offering is ever over-full.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.lottery import Candidate, draw, input_hash
from enrollment.models import ChildApplication, Choice, EnrollmentWindow, LotteryDraw
from notices.models import Notice
from notices.services import notify
from people.models import Student
from plans.policy import Selection, parse_document
from plans.selectors import published_plan_for
from programs.models import Offering
from schools.models import Term

# Places per child from ranked choices in one allocation: the ranking says which one they want.
PLACES_PER_CHILD = 1


def tier_of(student: Student, selection: Selection) -> int:
    """Return the child's priority tier: the index of their first group in the plan's order."""
    for index, group in enumerate(selection.priority_order):
        if group == "younger_grades":
            if selection.younger_grades_up_to and student.school_class.grade <= selection.younger_grades_up_to:
                return index
        elif getattr(student, group, False):
            return index
    return len(selection.priority_order)


def _lock_offerings(ids: Iterable[int]) -> dict[int, Offering]:
    """Lock offering rows in id order (a fixed order cannot deadlock)."""
    return {o.pk: o for o in Offering.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")}


def _taken(offering_id: int) -> int:
    return Choice.objects.filter(offering_id=offering_id, status__in=Choice.HOLDS_PLACE).count()


def _next_waitlist_position(offering_id: int) -> int:
    top = Choice.objects.filter(offering_id=offering_id).aggregate(m=Max("waitlist_position"))["m"]
    return (top or 0) + 1


def _places_and_queues(offering_ids: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Return, per offering, the places held and the last waiting-list position given.

    One query for all offerings. Call it after locking them: a statement that waited for the
    lock must not count from a snapshot taken before the lock was granted.
    """
    ids = set(offering_ids)
    taken, last = dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)
    rows = (
        Choice.objects.filter(offering_id__in=ids)
        .values("offering_id")
        .annotate(taken=Count("pk", filter=Q(status__in=Choice.HOLDS_PLACE)), last=Max("waitlist_position"))
        .order_by()
    )
    for row in rows:
        taken[row["offering_id"]], last[row["offering_id"]] = row["taken"], row["last"] or 0
    return taken, last


def _tell(choice: Choice, subject: str, body: str) -> None:
    child = choice.child_application
    notify(
        guardian_id=child.application.guardian_id,
        school_id=choice.school_id,
        kind=f"choice.{choice.status}",
        subject=subject,
        body=body,
    )


def place_first_come(choices: list[Choice], *, now: dt.datetime) -> list[Notice]:
    """Give places to new choices in the order applications arrive.

    Call inside the submitting transaction with the choices not yet saved (each with its
    ``child_application``, whose ``student`` and ``application`` are loaded): the offerings'
    rows are locked in id order, the places held counted once under the lock, and each choice
    is placed or put on the waiting list in memory. Return the guardian's notices, one per
    choice, for the caller to write with the choices (two statements, however many choices).
    """
    offerings = _lock_offerings(c.offering_id for c in choices)
    taken, last = _places_and_queues(offerings)
    notices = []
    for choice in choices:
        offering = choice.offering = offerings[choice.offering_id]  # its name, for the answer
        if taken[offering.pk] < offering.capacity:
            taken[offering.pk] += 1
            choice.status, choice.why = Choice.Status.PLACED, _("Places are given in order of application; one was free.")
        else:
            last[offering.pk] += 1
            choice.status, choice.waitlist_position = Choice.Status.WAITLISTED, last[offering.pk]
            choice.why = _("All %(n)d places were taken when the application arrived.") % {"n": offering.capacity}
        choice.decided_at = now
        child = choice.child_application
        notices.append(Notice(
            guardian_id=child.application.guardian_id,
            school_id=choice.school_id,
            kind=f"choice.{choice.status}",
            subject=_("%(name)s — %(offering)s: %(status)s") % {
                "name": child.student.name, "offering": offering.name, "status": choice.get_status_display()},
            body=choice.why,
        ))
    return notices


@dataclass
class AllocationReport:
    placed: int = 0
    waitlisted: int = 0
    refused: int = 0
    draws: list[LotteryDraw] = field(default_factory=list)


def allocate_term(*, term: Term, acting_user, seed: str | None = None, now: dt.datetime | None = None) -> AllocationReport:
    """Allocate the pending choices of approved applications, rank by rank.

    Round r looks at every child's r-th choice (children already placed are skipped). An
    offering with room for all takes them all; an over-full one draws a lottery among
    priority tiers (or, for first-come plans, takes them in order of application).
    """
    now = now or timezone.now()
    plan = published_plan_for(term)
    if plan is None:
        raise ValueError("no published plan")
    selection = parse_document(plan.document).selection
    report = AllocationReport()
    max_rank = Choice.objects.filter(offering__term=term).aggregate(m=Max("rank"))["m"] or 0
    for rank in range(1, max_rank + 1):
        offering_ids = list(
            Choice.objects.filter(
                offering__term=term,
                rank=rank,
                status=Choice.Status.PENDING,
                child_application__status=ChildApplication.Status.APPROVED,
            )
            .values_list("offering_id", flat=True)
            .distinct()
            .order_by("offering_id")
        )
        for offering_id in offering_ids:
            with transaction.atomic():
                _allocate_offering(offering_id, rank, selection, seed, acting_user, now, report)
    with transaction.atomic():
        _refuse_leftovers(term, now, report)
    return report


def _placed_children(term: Term) -> set[int]:
    return set(
        Choice.objects.filter(offering__term=term, status__in=Choice.HOLDS_PLACE).values_list(
            "child_application_id", flat=True
        )
    )


def _allocate_offering(offering_id, rank, selection, seed, acting_user, now, report) -> None:
    offering = _lock_offerings([offering_id])[offering_id]
    placed_children = _placed_children(offering.term)
    candidates = [
        c
        for c in Choice.objects.filter(
            offering=offering,
            rank=rank,
            status=Choice.Status.PENDING,
            child_application__status=ChildApplication.Status.APPROVED,
        )
        .select_related("offering", "child_application__student__school_class", "child_application__application")
        .order_by("child_application__application__submitted_at", "pk")
        if c.child_application_id not in placed_children
    ]
    if not candidates:
        return
    places = max(0, offering.capacity - _taken(offering.pk))
    if len(candidates) <= places:
        for c in candidates:
            _decide(c, Choice.Status.PLACED, _("There were enough places for every applicant."), now, report)
        return
    if selection.method != "priority_then_lottery":
        for i, c in enumerate(candidates):
            if i < places:
                _decide(c, Choice.Status.PLACED, _("Places are given in order of application; one was free."), now, report)
            else:
                _waitlist(c, _("All places went to earlier applications."), now, report)
        return
    _draw(offering, rank, candidates, places, selection, seed, acting_user, now, report)


def _draw(offering, rank, candidates, places, selection, seed, acting_user, now, report) -> None:
    by_id = {c.pk: c for c in candidates}
    lottery_input = []
    for c in candidates:
        child = c.child_application
        unit = f"family-{child.application_id}" if child.keep_with_siblings else child.receipt
        lottery_input.append(Candidate(key=c.pk, receipt=child.receipt, tier=tier_of(child.student, selection), unit=unit))
    seed = seed or secrets.token_hex(16)
    result = draw(lottery_input, places=places, seed=seed)
    record = LotteryDraw.objects.create(
        offering=offering,
        school_id=offering.school_id,
        rank=rank,
        places=places,
        seed=seed,
        receipts=sorted(c.receipt for c in lottery_input),
        input_hash=input_hash(lottery_input),
        order=result.order,
        tier_sizes={str(k): v for k, v in sorted(result.tier_sizes.items())},
        cutoffs={str(k): v for k, v in sorted(result.cutoffs.items())},
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    report.draws.append(record)
    tiers = {c.key: c.tier for c in lottery_input}
    for choice_id in result.placed:
        c = by_id[choice_id]
        c.tier, c.lottery_position = tiers[choice_id], result.positions[c.child_application.receipt]
        _decide(c, Choice.Status.PLACED, _why(c, places, len(candidates), result.cutoffs, placed=True), now, report)
    for choice_id in result.waitlisted:
        c = by_id[choice_id]
        c.tier, c.lottery_position = tiers[choice_id], result.positions[c.child_application.receipt]
        _waitlist(c, _why(c, places, len(candidates), result.cutoffs, placed=False), now, report)


def _why(choice: Choice, places: int, applicants: int, cutoffs: dict, *, placed: bool) -> str:
    """Tell the guardian, and only them, the tier, the lottery position and the cut-off."""
    cutoff = cutoffs.get(choice.tier)
    values = {
        "places": places,
        "applicants": applicants,
        "tier": choice.tier + 1,
        "position": choice.lottery_position,
        "cutoff": cutoff if cutoff is not None else "—",
    }
    if placed:
        return _("%(applicants)d applied for %(places)d places. Your child was in priority tier %(tier)d "
                 "with lottery position %(position)d; places in that tier went up to position %(cutoff)s.") % values
    return _("%(applicants)d applied for %(places)d places. Your child was in priority tier %(tier)d "
             "with lottery position %(position)d; places in that tier went up to position %(cutoff)s, "
             "so your child is on the waiting list.") % values


def _decide(choice: Choice, status: str, why: str, now, report: AllocationReport) -> None:
    choice.status, choice.why, choice.decided_at = status, why, now
    choice.save(update_fields=["status", "why", "decided_at", "tier", "lottery_position"])
    report.placed += status == Choice.Status.PLACED
    _tell(choice, _("%(name)s — %(offering)s: %(status)s") % {
        "name": choice.child_application.student.name, "offering": choice.offering.name,
        "status": choice.get_status_display()}, why)


def _waitlist(choice: Choice, why: str, now, report: AllocationReport) -> None:
    choice.waitlist_position = _next_waitlist_position(choice.offering_id)
    choice.save(update_fields=["waitlist_position"])
    _decide(choice, Choice.Status.WAITLISTED, why, now, report)
    report.waitlisted += 1


def _refuse_leftovers(term: Term, now, report: AllocationReport) -> None:
    """Lower choices of a child placed in a higher one are closed, with the reason."""
    placed = _placed_children(term)
    for choice in Choice.objects.filter(
        offering__term=term, status=Choice.Status.PENDING, child_application_id__in=placed,
        child_application__status=ChildApplication.Status.APPROVED,
    ).select_related("offering", "child_application__student", "child_application__application"):
        _decide(choice, Choice.Status.REFUSED, _("Your child has a place in a choice ranked higher."), now, report)
        report.refused += 1


@transaction.atomic
def promote_waitlist(*, offering_id: int, now: dt.datetime) -> list[Choice]:
    """Offer freed places to the waiting list in order; each offer has a deadline."""
    offering = _lock_offerings([offering_id])[offering_id]
    window = EnrollmentWindow.objects.filter(term_id=offering.term_id).first()
    days = window.offer_days if window else 3
    free = offering.capacity - _taken(offering.pk)
    offered = []
    if free <= 0:
        return offered
    for choice in (
        Choice.objects.filter(offering=offering, status=Choice.Status.WAITLISTED)
        .select_related("child_application__student", "child_application__application", "offering")
        .order_by("waitlist_position", "pk")[:free]
    ):
        choice.status = Choice.Status.OFFERED
        choice.offer_expires_at = now + dt.timedelta(days=days)
        choice.save(update_fields=["status", "offer_expires_at"])
        _tell(choice, _("A place for %(name)s in %(offering)s") % {
            "name": choice.child_application.student.name, "offering": offering.name},
            _("A place has become free. Accept it by %(deadline)s, or it goes to the next child on the list.")
            % {"deadline": timezone.localtime(choice.offer_expires_at).strftime("%Y-%m-%d %H:%M")})
        offered.append(choice)
    return offered


@transaction.atomic
def answer_offer(*, choice: Choice, guardian_id: int, accept: bool, now: dt.datetime | None = None) -> Choice:
    """Accept or decline an offered place; accepting releases a lower-ranked place, if any."""
    now = now or timezone.now()
    choice = Choice.objects.select_for_update().select_related("child_application__application").get(pk=choice.pk)
    if choice.child_application.application.guardian_id != guardian_id or choice.status != Choice.Status.OFFERED:
        raise ValueError("not an open offer of this guardian")
    if choice.offer_expires_at and choice.offer_expires_at < now:
        raise ValueError("the offer has expired")
    choice.status = Choice.Status.PLACED if accept else Choice.Status.DECLINED
    choice.decided_at = now
    choice.save(update_fields=["status", "decided_at"])
    freed = []
    if accept:
        for other in Choice.objects.select_for_update().filter(
            child_application=choice.child_application, rank__gt=choice.rank, status__in=Choice.HOLDS_PLACE
        ):
            other.status = Choice.Status.DECLINED
            other.save(update_fields=["status"])
            freed.append(other.offering_id)
    else:
        freed.append(choice.offering_id)
    for offering_id in sorted(set(freed)):
        promote_waitlist(offering_id=offering_id, now=now)
    return choice


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Send expired offers back as declined and offer the places to the next children."""
    now = now or timezone.now()
    expired = 0
    for choice in Choice.objects.filter(status=Choice.Status.OFFERED, offer_expires_at__lt=now):
        with transaction.atomic():
            locked = Choice.objects.select_for_update().get(pk=choice.pk)
            if locked.status != Choice.Status.OFFERED:
                continue
            locked.status = Choice.Status.DECLINED
            locked.why = _("The offer was not accepted in time.")
            locked.save(update_fields=["status", "why"])
            promote_waitlist(offering_id=locked.offering_id, now=now)
            expired += 1
    return expired
