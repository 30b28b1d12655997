"""Reads for the enrollment pages, scoped to who is asking; each costs a fixed number of queries.

Guardians see their own family's applications only; staff their own school's (a head teacher
the classes they head); published lists show masked names and nothing else about a child.
An out-of-scope row is answered with 404, the same as a missing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from enrollment.models import (
    Application,
    ChildApplication,
    Choice,
    EnrollmentWindow,
    LotteryDraw,
    Review,
)
from lib.identity import mask_name
from people.actor import Actor
from people.models import Student, StudentGuardian
from people.presenters import Visibility, shown_phone
from people.roles import Capability
from programs.models import Offering
from schools.models import SchoolClass, Term

# The care services a child application asks for, by the name used in URLs.
SERVICES = ("after_school", "noon_care", "meals")


def _get(qs: QuerySet, pk: object):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Guardians -------------------------------------------------------------------------


def _guardian_school_ids(guardian_id: int) -> QuerySet:
    return StudentGuardian.objects.filter(guardian_id=guardian_id).values("school_id")


def windows_for_guardian(guardian_id: int, *, now: dt.datetime) -> list[EnrollmentWindow]:
    """Return the enrollment windows of the guardian's schools that have not closed yet."""
    return list(
        EnrollmentWindow.objects.filter(
            school_id__in=_guardian_school_ids(guardian_id), closes_at__gte=now
        )
        .select_related("term", "school")
        .order_by("opens_at", "pk")
    )


def get_term_for_guardian(guardian_id: int, term_id: int) -> Term:
    """Return a term of a school where the guardian has a child, with its window, or 404."""
    qs = Term.objects.filter(school_id__in=_guardian_school_ids(guardian_id)).select_related(
        "school", "enrollment_window"
    )
    return _get(qs, term_id)


def open_offerings(term: Term) -> list[Offering]:
    """Return the term's offerings open for choices: clubs and groups, not class-run care."""
    return list(
        Offering.objects.filter(term=term, status=Offering.Status.OPEN)
        .exclude(kind__in=Offering.CLASS_BASED)
        .order_by("name", "pk")
    )


@dataclass
class ChildOption:
    """One of the guardian's children on the apply page: the clubs their grade may take."""

    student: Student
    offerings: list[Offering] = field(default_factory=list)
    applied: ChildApplication | None = None


def apply_options(guardian_id: int, term: Term) -> list[ChildOption]:
    """Return the guardian's children at the term's school, each with open offerings for
    their grade and their live application of the term, if they already have one."""
    students = list(
        Student.objects.filter(
            guardian_links__guardian_id=guardian_id, school_id=term.school_id, is_active=True
        )
        .select_related("school_class")
        .order_by("school_class__grade", "pinyin", "pk")
    )
    live = {
        c.student_id: c
        for c in ChildApplication.objects.filter(term=term, student__in=students).exclude(
            status=ChildApplication.Status.WITHDRAWN
        )
    }
    offerings = open_offerings(term)
    return [
        ChildOption(
            student=s,
            offerings=[o for o in offerings if s.school_class.grade in (o.grades or [])],
            applied=live.get(s.pk),
        )
        for s in students
    ]


def application_by_key(guardian_id: int, key: str) -> Application | None:
    return Application.objects.filter(guardian_id=guardian_id, idempotency_key=key).first()


def _children_prefetch() -> Prefetch:
    return Prefetch(
        "children",
        queryset=ChildApplication.objects.select_related("student__school_class").prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer__staff")),
            Prefetch("choices", queryset=Choice.objects.select_related("offering__school")),
        ),
    )


def applications_of_guardian(guardian_id: int) -> list[Application]:
    """Return the guardian's applications, newest first, with children, reviews and choices."""
    return list(
        Application.objects.filter(guardian_id=guardian_id)
        .select_related("term", "school")
        .prefetch_related(_children_prefetch())
        .order_by("-submitted_at", "-pk")
    )


def get_child_for_guardian(guardian_id: int | None, child_id: int) -> ChildApplication:
    """Return one of the guardian's child applications, or 404 (missing and not yours alike)."""
    if guardian_id is None:
        raise Http404
    qs = ChildApplication.objects.filter(application__guardian_id=guardian_id).select_related(
        "application__plan", "term", "student__school_class"
    )
    return _get(qs, child_id)


def get_choice_for_guardian(guardian_id: int | None, choice_id: int) -> Choice:
    if guardian_id is None:
        raise Http404
    qs = Choice.objects.filter(child_application__application__guardian_id=guardian_id)
    return _get(qs.select_related("offering", "child_application__student"), choice_id)


def get_child_for_agreement(actor: Actor, child_id: int) -> ChildApplication:
    """Return a child application for its agreement: the guardian's own, or any of the
    school's for those who manage enrollment; 404 otherwise."""
    scope = Q(application__guardian_id=actor.guardian_id) if actor.guardian_id else Q(pk__in=[])
    if actor.school_id is not None and actor.may(Capability.MANAGE_ENROLLMENT):
        scope |= Q(school_id=actor.school_id)
    qs = (
        ChildApplication.objects.filter(scope)
        .select_related("application__plan", "application__guardian", "school", "term",
                        "student__school_class")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.order_by("at", "pk")),
            Prefetch("choices", queryset=Choice.objects.select_related("offering")),
        )
    )
    return _get(qs, child_id)


# --- Staff -----------------------------------------------------------------------------


def school_children(actor: Actor) -> QuerySet[ChildApplication]:
    """Return the child applications of the actor's school (staff only; others none)."""
    if not actor.is_staff_member or actor.school_id is None:
        return ChildApplication.objects.none()
    return ChildApplication.objects.filter(school_id=actor.school_id)


def reviewable_by(actor: Actor) -> QuerySet[ChildApplication]:
    """Return what the actor may review: a head teacher their own classes, leaders all."""
    qs = school_children(actor)
    if not actor.may(Capability.MANAGE_ENROLLMENT):
        qs = qs.filter(student__school_class__head_teacher_id=actor.staff_id)
    return qs


def for_list(qs: QuerySet[ChildApplication]) -> QuerySet[ChildApplication]:
    """Load what a staff list shows for each row, in a fixed number of queries."""
    return qs.select_related("student__school_class", "application__guardian").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.select_related("offering")),
        Prefetch("reviews", queryset=Review.objects.select_related("reviewer__staff")),
    ).order_by("student__school_class__grade", "student__school_class__number", "student__pinyin", "pk")


def class_queue(actor: Actor) -> QuerySet[ChildApplication]:
    """Return the applications waiting for the head teacher's review that the actor may take."""
    return for_list(reviewable_by(actor).filter(status=ChildApplication.Status.SUBMITTED))


def school_queue(
    actor: Actor, *, term: Term | None, status: str = "", grade: int | None = None,
    class_id: int | None = None,
) -> QuerySet[ChildApplication]:
    """Return the school's applications of ``term``, filtered as the leaders' page asks."""
    qs = school_children(actor).filter(term=term) if term else ChildApplication.objects.none()
    if status:
        qs = qs.filter(status=status)
    if grade:
        qs = qs.filter(student__school_class__grade=grade)
    if class_id:
        qs = qs.filter(student__school_class_id=class_id)
    return for_list(qs)


def status_counts(actor: Actor, term: Term | None) -> dict[str, int]:
    """Return how many of the term's child applications wait in each status."""
    if term is None:
        return {}
    rows = school_children(actor).filter(term=term).values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


def picked_for_review(actor: Actor, ids: list[int]) -> list[ChildApplication]:
    """Return the picked rows the actor may review; 404 if any is missing or not theirs."""
    unique = sorted(set(ids))
    rows = list(reviewable_by(actor).filter(pk__in=unique).select_related("student"))
    if not unique or len(rows) != len(unique):
        raise Http404
    return rows


def draws_of_term(term: Term) -> list[LotteryDraw]:
    return list(
        LotteryDraw.objects.filter(offering__term=term)
        .select_related("offering")
        .order_by("offering__name", "rank", "-created_at", "-pk")
    )


def headed_classes(actor: Actor) -> list[SchoolClass]:
    """Return the classes the actor may list: those they head, or all for leaders."""
    if not actor.is_staff_member or actor.school_id is None:
        return []
    qs = SchoolClass.objects.filter(school_id=actor.school_id)
    if not actor.may(Capability.MANAGE_ENROLLMENT):
        qs = qs.filter(head_teacher_id=actor.staff_id)
    return list(qs.order_by("grade", "number"))


def taught_offerings(actor: Actor, term: Term | None) -> list[Offering]:
    """Return the term's offerings the actor teaches, or all of them for leaders."""
    if not actor.is_staff_member or term is None or term.school_id != actor.school_id:
        return []
    qs = Offering.objects.filter(term=term).exclude(kind__in=Offering.CLASS_BASED)
    if not actor.may(Capability.MANAGE_ENROLLMENT):
        qs = qs.filter(Q(instructors=actor.staff_id) | Q(slots__instructor=actor.staff_id))
    return list(qs.distinct().order_by("name"))


@dataclass(frozen=True)
class ListRow:
    """A row of a head teacher's or instructor's list: full name, class, guardian's phone."""

    name: str
    class_label: str
    guardian: str
    phone: str
    child: ChildApplication


def _list_rows(actor: Actor, children: list[ChildApplication]) -> list[ListRow]:
    visibility = Visibility.for_actor(actor)
    return [
        ListRow(
            name=c.student.name,
            class_label=c.student.school_class.label,
            guardian=c.application.guardian.name,
            phone=shown_phone(c.application.guardian.phone, visibility),
            child=c,
        )
        for c in children
    ]


def class_list(actor: Actor, *, class_id: int, term: Term | None) -> tuple[SchoolClass, list[ListRow]]:
    """Return the class and its children's live applications in ``term`` (head teacher, leaders)."""
    school_class = next((c for c in headed_classes(actor) if c.pk == class_id), None)
    if school_class is None or term is None:
        raise Http404
    children = for_list(
        school_children(actor)
        .filter(term=term, student__school_class=school_class)
        .exclude(status=ChildApplication.Status.WITHDRAWN)
    )
    return school_class, _list_rows(actor, list(children))


def offering_list(actor: Actor, *, offering_id: int) -> tuple[Offering, list[ListRow]]:
    """Return the offering and the children placed in it (its instructors, leaders)."""
    if actor.school_id is None:
        raise Http404
    offering = _get(Offering.objects.filter(school_id=actor.school_id).select_related("term"), offering_id)
    if offering not in taught_offerings(actor, offering.term):
        raise Http404
    children = for_list(
        school_children(actor).filter(
            choices__offering=offering, choices__status=Choice.Status.PLACED
        )
    )
    return offering, _list_rows(actor, list(children))


# --- Published lists -------------------------------------------------------------------


def public_offering(*, school_code: str, offering_id: int) -> Offering:
    """Return an offering of the school named by its code, or 404."""
    qs = Offering.objects.filter(school__code=school_code).select_related("school", "term")
    return _get(qs, offering_id)


def public_term(*, school_code: str, term_id: int) -> Term:
    return _get(Term.objects.filter(school__code=school_code).select_related("school"), term_id)


def published_offerings(term: Term) -> list[Offering]:
    """Return the term's choosable offerings, each annotated with its draws and places given."""
    return list(
        Offering.objects.filter(term=term)
        .exclude(kind__in=Offering.CLASS_BASED)
        .exclude(status=Offering.Status.DRAFT)
        .annotate(
            n_draws=Count("draws", distinct=True),
            n_placed=Count("choices", filter=Q(choices__status=Choice.Status.PLACED), distinct=True),
        )
        .order_by("name")
    )


def draws_of_offering(offering: Offering) -> list[LotteryDraw]:
    return list(LotteryDraw.objects.filter(offering=offering).order_by("-created_at", "-pk"))


def receipt_positions(draws: list[LotteryDraw], receipt: str) -> list[tuple[LotteryDraw, int]]:
    """Return each draw the receipt took part in with its lottery position (never its tier)."""
    receipt = receipt.strip().upper()
    return [(d, d.order.index(receipt) + 1) for d in draws if receipt and receipt in d.order]


def may_see_school_lists(actor: Actor, school_id: int) -> bool:
    """Published rosters are for the school community (plan 7: 在全校进行公示): its staff and
    the guardians of its pupils, not the open internet."""
    if actor.school_id == school_id and actor.is_staff_member:
        return True
    return actor.guardian_id is not None and StudentGuardian.objects.filter(
        guardian_id=actor.guardian_id, school_id=school_id
    ).exists()


@dataclass(frozen=True)
class RosterRow:
    """One line of a published roster: a masked name and the class, nothing else."""

    name: str
    class_label: str


def _roster(children: QuerySet[ChildApplication]) -> list[RosterRow]:
    rows = children.select_related("student__school_class").order_by(
        "student__school_class__grade", "student__school_class__number", "student__pinyin", "pk"
    )
    return [RosterRow(mask_name(c.student.name), c.student.school_class.label) for c in rows]


def offering_roster(offering: Offering) -> list[RosterRow]:
    """Return the approved children placed in the offering, names masked."""
    return _roster(
        ChildApplication.objects.filter(
            choices__offering=offering,
            choices__status=Choice.Status.PLACED,
            status=ChildApplication.Status.APPROVED,
        )
    )


def service_roster(term: Term, service: str) -> list[RosterRow]:
    """Return the approved children of a care service (after_school, noon_care, meals)."""
    if service not in SERVICES:
        raise Http404
    return _roster(
        ChildApplication.objects.filter(
            term=term, status=ChildApplication.Status.APPROVED, **{f"wants_{service}": True}
        )
    )

