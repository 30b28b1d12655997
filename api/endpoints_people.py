"""Students and guardians, read through the same scoping selectors as the pages."""

# No ``from __future__ import annotations`` here: ninja reads the parameter annotations of
# paginated views in its own module's namespace, where string annotations do not resolve.

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from api.auth import actor
from api.common import DETAIL_ERRORS, LIST_ERRORS, ObjectId, id_or_404
from api.pagination import Pages
from api.presenters import present_guardian, present_student
from api.schemas import GuardianOut, StudentOut
from people.actor import Actor
from people.models import Guardian, Student, StudentGuardian
from people.selectors import get_student_for, guardians_for, search_students, students_for

router = Router(tags=["people"])


def _guardian_links() -> Prefetch:
    return Prefetch(
        "guardian_links",
        queryset=StudentGuardian.objects.select_related("guardian").order_by("-is_primary", "pk"),
    )


class StudentFilters(Schema):
    class_id: ObjectId | None = Field(None, description="Only this class.")
    grade: int | None = Field(None, ge=1, le=9, description="Only this grade (1–9).")
    q: str | None = Field(
        None, max_length=50, description="Name, pinyin (张小明 or zhang xiao ming) or number."
    )


@router.get("/students", response={200: list[StudentOut], **LIST_ERRORS}, by_alias=True)
@paginate(Pages, present=present_student)
def list_students(request: HttpRequest, filters: Query[StudentFilters]) -> QuerySet[Student]:
    """List the students on roll the caller may see: a guardian their own children, staff
    their school, a district officer the district's schools."""
    qs = students_for(actor(request)).filter(is_active=True)
    if filters.class_id is not None:
        qs = qs.filter(school_class_id=filters.class_id)
    if filters.grade is not None:
        qs = qs.filter(school_class__grade=filters.grade)
    qs = search_students(qs, filters.q or "")
    return (
        qs.select_related("school_class")
        .prefetch_related(_guardian_links())
        .order_by("school_class__grade", "school_class__number", "pinyin", "pk")
    )


@router.get(
    "/students/{int:student_id}", response={200: StudentOut, **DETAIL_ERRORS}, by_alias=True
)
def get_student(request: HttpRequest, student_id: int) -> dict[str, Any]:
    """One student; 404 when missing or not the caller's to see."""
    who = actor(request)
    student = get_student_for(who, id_or_404(student_id))
    prefetch_related_objects([student], _guardian_links())
    return present_student(student, who)


class GuardianFilters(Schema):
    student_id: ObjectId | None = Field(None, description="Only this student's guardians.")
    q: str | None = Field(None, max_length=50, description="Part of the name.")


def _guardians(who: Actor) -> QuerySet[Guardian]:
    # Only the links to children the caller may see: a guardian's other children stay hidden.
    links = StudentGuardian.objects.filter(student__in=students_for(who)).select_related("student")
    return guardians_for(who).prefetch_related(
        Prefetch("student_links", queryset=links.order_by("student__pinyin", "pk"))
    )


@router.get("/guardians", response={200: list[GuardianOut], **LIST_ERRORS})
@paginate(Pages, present=present_guardian)
def list_guardians(request: HttpRequest, filters: Query[GuardianFilters]) -> QuerySet[Guardian]:
    """List the guardians the caller may see: themself, or those of children in scope."""
    who = actor(request)
    qs = _guardians(who)
    if filters.student_id is not None:
        qs = qs.filter(student_links__student__in=students_for(who).filter(pk=filters.student_id))
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip())
    return qs.order_by("name", "pk")


@router.get("/guardians/{int:guardian_id}", response={200: GuardianOut, **DETAIL_ERRORS})
def get_guardian(request: HttpRequest, guardian_id: int) -> dict[str, Any]:
    """One guardian; 404 when missing or not the caller's to see."""
    who = actor(request)
    guardian = _guardians(who).filter(pk=id_or_404(guardian_id)).first()
    if guardian is None:
        raise Http404
    return present_guardian(guardian, who)
