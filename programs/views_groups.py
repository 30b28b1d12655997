"""The group forming report (编班): the latest run's groups, students, rooms, teachers and
reasons, its changes, and the leaders' action to form the groups again."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.roles import Capability
from programs.forms import ServiceForm
from programs.models import CareGroup, GroupFormingRun
from programs.selectors import care_participants, groups_of_run, latest_group_run
from programs.services import ProgramError
from programs.services_groups import form_care_groups
from programs.views_common import (
    chosen_term,
    manager,
    may_manage,
    reader,
    school_terms,
    show_problems,
)


@dataclass(frozen=True)
class GroupView:
    group: CareGroup
    students: list[str]  # names only: the report is posted and printed, so no numbers or IDs


def _service(request) -> str:
    form = ServiceForm(
        request.POST or request.GET or {"service": GroupFormingRun.Service.AFTER_SCHOOL}
    )
    return form.cleaned_data["service"] if form.is_valid() else GroupFormingRun.Service.AFTER_SCHOOL


@login_required
def group_report(request):
    actor = reader(request)
    # The report lists children by name: roster readers only (guards yes, cleaners no).
    if not actor.may(Capability.VIEW_ROSTER):
        raise PermissionDenied
    term = chosen_term(request, actor)
    service = _service(request)
    run = latest_group_run(term, service) if term else None
    groups = []
    if run is not None:
        for group in groups_of_run(run):
            members = sorted(
                group.members.all(),
                key=lambda m: (m.school_class.grade, m.school_class.number, m.student.pinyin),
            )
            groups.append(GroupView(group=group, students=[m.student.name for m in members]))
    return render(
        request,
        "programs/groups.html",
        {
            "title": _("Care groups"),
            "term": term,
            "terms": school_terms(actor),
            "service": service,
            "services": GroupFormingRun.Service.choices,
            "run": run,
            "groups": groups,
            "student_count": sum(len(g.students) for g in groups),
            "may_manage": may_manage(actor),
        },
    )


@login_required
@require_POST
def form_groups(request):
    """Form the care groups of the term's service again from its participants."""
    actor = manager(request)
    term = chosen_term(request, actor)
    service = _service(request)
    if term is None:
        messages.error(request, _("No term has been set up yet."))
        return redirect("programs:groups")
    try:
        run = form_care_groups(
            term=term,
            service=service,
            student_ids=care_participants(term, service),
            acting_user=request.user,
        )
    except ProgramError as exc:
        show_problems(request, exc.problems)
    else:
        messages.success(
            request,
            _("Groups formed: %(groups)d groups, %(changes)d changes since the last run.")
            % {"groups": run.groups.count(), "changes": len(run.changes)},
        )
    query = urlencode({"term": term.pk, "service": service})
    return redirect(f"{reverse('programs:groups')}?{query}")
