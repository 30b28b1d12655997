"""Student pages: the scoped, masked roster list and a student's card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from people import services
from people.models import StudentGuardian
from people.presenters import Visibility, priority_labels, shown_national_id, shown_phone
from people.roles import Capability
from people.selectors import get_student_for, search_students, students_for
from schools.selectors import classes_for


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_required
@never_cache
def student_list(request):
    actor = request.actor
    if not actor.is_staff_member or not actor.may(Capability.VIEW_ROSTER):
        raise PermissionDenied
    visibility = Visibility.for_actor(actor)
    qs = students_for(actor).filter(is_active=True).select_related("school_class")
    classes = list(classes_for(actor).order_by("grade", "number"))
    class_id = request.GET.get("class", "")
    grade = request.GET.get("grade", "")
    if class_id.isdigit():
        qs = qs.filter(school_class_id=int(class_id))
    if grade.isdigit():
        qs = qs.filter(school_class__grade=int(grade))
    qs = search_students(qs, request.GET.get("q", ""))
    page = Paginator(qs.order_by("school_class__grade", "school_class__number", "pinyin"), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "student": s,
            "national_id": shown_national_id(s),
            "flags": priority_labels(s, visibility),
        }
        for s in page
    ]
    return render(
        request,
        "people/student_list.html",
        {
            "title": _("Students"),
            "page": page,
            "rows": rows,
            "classes": classes,
            "visibility": visibility,
            "filters": {"q": request.GET.get("q", ""), "class": class_id, "grade": grade},
            "may_manage": actor.may(Capability.MANAGE_ROSTER),
        },
    )


@login_required
@never_cache
def student_detail(request, student_id: int):
    student = get_student_for(request.actor, student_id)
    return render(request, "people/student_detail.html", _detail_context(request, student))


def _detail_context(request, student) -> dict:
    actor = request.actor
    own = actor.is_guardian and student.guardian_links.filter(guardian_id=actor.guardian_id).exists()
    visibility = Visibility.for_actor(actor) if actor.school_id == student.school_id else Visibility(
        phones=False, priority_flags=False, national_id_on_request=False
    )
    links = StudentGuardian.objects.filter(student=student).select_related("guardian")
    guardians = [
        {
            "name": link.guardian.name,
            "relation": link.get_relation_display(),
            "phone": shown_phone(
                link.guardian.phone,
                visibility,
                own=own and link.guardian_id == actor.guardian_id,
            ),
            "may_pick_up": link.may_pick_up,
        }
        for link in links
    ]
    return {
        "title": student.name,
        "student": student,
        "national_id": shown_national_id(student),
        "flags": priority_labels(student, visibility, own=own),
        "guardians": guardians,
        "may_reveal": visibility.national_id_on_request,
    }


@login_required
@never_cache
@require_POST
def reveal_national_id(request, student_id: int):
    """Show the full ID number once, on this response only; the read is audited."""
    actor = request.actor
    student = get_student_for(actor, student_id)
    try:
        full = services.reveal_national_id(student=student, actor=actor, ip_address=_client_ip(request))
    except services.NotPermitted:
        raise PermissionDenied from None
    if request.htmx:
        return render(request, "people/_national_id.html", {"national_id": full})
    messages.info(request, _("This read of the full ID number has been recorded in the audit log."))
    context = _detail_context(request, student) | {"national_id": full, "revealed": True}
    return render(request, "people/student_detail.html", context)
