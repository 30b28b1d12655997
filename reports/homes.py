"""The home page of each role. Later issues add their panels here (DESIGN.md §1 table)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from people.models import Staff
from people.selectors import students_for
from reports import selectors
from schools.calendar import CalendarYearUnknown, school_days
from schools.models import School
from schools.selectors import current_term


def _term_panel(school_id: int) -> dict:
    term = current_term(school_id)
    panel: dict = {"term": term}
    if term is None:
        return panel
    try:
        panel["school_day_count"] = len(school_days(term))
    except CalendarYearUnknown as exc:
        panel["calendar_problem"] = exc.message
    panel.update(selectors.term_panel(term.pk, school_id))
    return panel


def principal_home(request):
    actor = request.actor
    school = School.objects.get(pk=actor.school_id)
    return render(
        request,
        "reports/home_principal.html",
        {
            "title": _("Principal's desk"),
            "school": school,
            "counts": selectors.school_counts(school.pk),
            "by_grade": selectors.students_by_grade(school.pk),
            **_term_panel(school.pk),
        },
    )


def finance_home(request):
    actor = request.actor
    school = School.objects.get(pk=actor.school_id)
    return render(
        request,
        "reports/home_finance.html",
        {
            "title": _("Finance desk"),
            "school": school,
            "counts": selectors.school_counts(school.pk),
            **_term_panel(school.pk),
        },
    )


def teacher_home(request):
    actor = request.actor
    staff = Staff.objects.select_related("school").get(pk=actor.staff_id)
    return render(
        request,
        "reports/home_teacher.html",
        {
            "title": _("My after-school work"),
            "school": staff.school,
            "staff": staff,
            "my_classes": selectors.classes_of_teacher(staff.pk),
            **_term_panel(staff.school_id),
        },
    )


def duty_home(request):
    actor = request.actor
    staff = Staff.objects.select_related("school").get(pk=actor.staff_id)
    return render(
        request,
        "reports/home_duty.html",
        {
            "title": _("Duty and gate"),
            "school": staff.school,
            "staff": staff,
            "counts": selectors.school_counts(staff.school_id),
            **_term_panel(staff.school_id),
        },
    )


def district_home(request):
    actor = request.actor
    schools = selectors.district_school_counts(actor.district_id)
    return render(
        request,
        "reports/home_district.html",
        {
            "title": _("District overview"),
            "schools": schools,
            "total_students": sum(s.n_students for s in schools),
        },
    )


def guardian_home(request):
    children = (
        students_for(request.actor)
        .select_related("school_class", "school")
        .order_by("school__code", "school_class__grade", "pinyin")
    )
    return render(
        request,
        "reports/home_guardian.html",
        {"title": _("My children"), "children": list(children)},
    )
