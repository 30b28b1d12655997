"""Counts for the home pages: each a fixed number of queries, whatever the roster size."""

from __future__ import annotations

from django.db.models import Count, Q

from people.models import Staff, Student, StudentGuardian
from schools.models import School, SchoolClass, Venue


def school_counts(school_id: int) -> dict[str, int]:
    """Return head counts of one school (students on roll, classes, staff, venues, guardians)."""
    students = Student.objects.filter(school_id=school_id, is_active=True).aggregate(
        total=Count("pk"),
        migrant=Count("pk", filter=Q(is_migrant_child=True)),
        single_parent=Count("pk", filter=Q(is_single_parent=True)),
        left_behind=Count("pk", filter=Q(is_left_behind=True)),
        low_income=Count("pk", filter=Q(is_low_income=True)),
        disability=Count("pk", filter=Q(has_disability=True)),
    )
    return {
        "students": students["total"],
        "migrant": students["migrant"],
        "single_parent": students["single_parent"],
        "left_behind": students["left_behind"],
        "low_income": students["low_income"],
        "disability": students["disability"],
        "classes": SchoolClass.objects.filter(school_id=school_id).count(),
        "staff": Staff.objects.filter(school_id=school_id, is_active=True).count(),
        "venues": Venue.objects.filter(school_id=school_id).count(),
        "guardians": StudentGuardian.objects.filter(school_id=school_id)
        .values("guardian_id")
        .distinct()
        .count(),
    }


def students_by_grade(school_id: int) -> list[dict]:
    """Return ``[{grade, classes, students}]`` for one school, in grade order."""
    rows = (
        SchoolClass.objects.filter(school_id=school_id)
        .values("grade")
        .annotate(
            classes=Count("pk", distinct=True),
            n_students=Count("students", filter=Q(students__is_active=True)),
        )
        .order_by("grade")
    )
    return [{"grade": r["grade"], "classes": r["classes"], "students": r["n_students"]} for r in rows]


def district_school_counts(district_id: int) -> list[School]:
    """Return the district's schools annotated with students, classes and staff."""
    return list(
        School.objects.filter(district_id=district_id)
        .annotate(
            n_students=Count("students", filter=Q(students__is_active=True), distinct=True),
            n_classes=Count("classes", distinct=True),
            n_staff=Count("staff", filter=Q(staff__is_active=True), distinct=True),
        )
        .order_by("code")
    )


def classes_of_teacher(staff_id: int) -> list[SchoolClass]:
    """Return the classes a head teacher leads, with their student counts."""
    return list(
        SchoolClass.objects.filter(head_teacher_id=staff_id)
        .annotate(n_students=Count("students", filter=Q(students__is_active=True)))
        .order_by("grade", "number")
    )


def term_panel(term_id: int, school_id: int) -> dict:
    """Return the term's enrollment and money figures for a home page (a fixed few queries)."""
    from enrollment.models import ChildApplication, Choice
    from finance.ledger import balances_by_account

    applications = ChildApplication.objects.filter(term_id=term_id).aggregate(
        total=Count("pk", filter=~Q(status=ChildApplication.Status.WITHDRAWN)),
        approved=Count("pk", filter=Q(status=ChildApplication.Status.APPROVED)),
        waiting=Count("pk", filter=Q(status__in=[
            ChildApplication.Status.SUBMITTED, ChildApplication.Status.CLASS_APPROVED,
            ChildApplication.Status.SCHOOL_APPROVED])),
        returned=Count("pk", filter=Q(status=ChildApplication.Status.RETURNED)),
    )
    places = Choice.objects.filter(offering__term_id=term_id).aggregate(
        placed=Count("pk", filter=Q(status__in=Choice.HOLDS_PLACE)),
        waitlisted=Count("pk", filter=Q(status=Choice.Status.WAITLISTED)),
    )
    books = balances_by_account(school_id=school_id, term_id=term_id)
    zero = 0
    charged = -books.get("income:service_fees", zero)
    return {
        "applications": applications,
        "places": places,
        "money": {
            "charged": charged,
            "waived": books.get("income:waivers", zero),
            "refunded": books.get("income:refunds", zero),
            "allocation": books.get("receivable:allocation", zero),
            "outstanding": books.get("receivable:service", zero),
            "bank": books.get("bank", zero),
        },
    }
