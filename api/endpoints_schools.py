"""Classes and terms, with a term's school days from the calendar."""

# No ``from __future__ import annotations`` here: ninja reads the parameter annotations of
# paginated views in its own module's namespace, where string annotations do not resolve.

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from api.auth import actor
from api.common import DETAIL_ERRORS, LIST_ERRORS, ObjectId, id_or_404
from api.pagination import Pages
from api.presenters import present_class, present_school_day
from api.schemas import ClassOut, Error, SchoolDayOut, TermOut
from people.actor import Actor
from schools.calendar import school_days
from schools.models import SchoolClass, Term
from schools.selectors import classes_for, get_term_for, terms_for

router = Router(tags=["schools"])


def _classes(who: Actor) -> QuerySet[SchoolClass]:
    return (
        classes_for(who)
        .select_related("head_teacher")
        .annotate(student_count=Count("students", filter=Q(students__is_active=True)))
    )


class ClassFilters(Schema):
    school_id: ObjectId | None = Field(None, description="Only this school's classes.")
    grade: int | None = Field(None, ge=1, le=9, description="Only this grade (1–9).")


@router.get("/classes", response={200: list[ClassOut], **LIST_ERRORS})
@paginate(Pages, present=present_class)
def list_classes(request: HttpRequest, filters: Query[ClassFilters]) -> QuerySet[SchoolClass]:
    """List the classes of the schools the caller belongs to or oversees."""
    qs = _classes(actor(request))
    if filters.school_id is not None:
        qs = qs.filter(school_id=filters.school_id)
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    return qs.order_by("school_id", "grade", "number", "pk")


@router.get("/classes/{int:class_id}", response={200: ClassOut, **DETAIL_ERRORS})
def get_class(request: HttpRequest, class_id: int) -> dict[str, Any]:
    """One class with its number of students on roll; 404 when missing or not in scope."""
    who = actor(request)
    school_class = _classes(who).filter(pk=id_or_404(class_id)).first()
    if school_class is None:
        raise Http404
    return present_class(school_class, who)


class TermFilters(Schema):
    school_id: ObjectId | None = Field(None, description="Only this school's terms.")


@router.get("/terms", response={200: list[TermOut], **LIST_ERRORS})
@paginate(Pages)
def list_terms(request: HttpRequest, filters: Query[TermFilters]) -> QuerySet[Term]:
    """List the terms of the caller's schools, latest first."""
    qs = terms_for(actor(request))
    if filters.school_id is not None:
        qs = qs.filter(school_id=filters.school_id)
    return qs.order_by("school_id", "-start", "pk")


@router.get("/terms/{int:term_id}", response={200: TermOut, **DETAIL_ERRORS})
def get_term(request: HttpRequest, term_id: int) -> Term:
    """One term; 404 when missing or not in scope."""
    return get_term_for(actor(request), id_or_404(term_id))


@router.get(
    "/terms/{int:term_id}/school-days",
    response={200: list[SchoolDayOut], 409: Error, **DETAIL_ERRORS},
)
def list_school_days(
    request: HttpRequest,
    term_id: int,
    weekday: int | None = Query(
        None, ge=0, le=4, description="Only days running this weekday's timetable (0 = Monday)."
    ),
) -> list[dict[str, Any]]:
    """The term's school days from the calendar (official holidays, 调休 and closures).

    409 when the official holidays of a year in the term are not known yet: the school must
    enter them first (CalendarYearUnknown).
    """
    term = get_term_for(actor(request), id_or_404(term_id))
    days = school_days(term, weekdays=None if weekday is None else [weekday])
    return [present_school_day(day) for day in days]
