"""Plan pages: the school's versions, editing a draft, approval, publication, differences.

The public notice (公示) and its PDF are in :mod:`plans.views_public`.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from plans import services
from plans.forms import KeyFiguresForm
from plans.messages import label_for
from plans.models import PublishedPlanIsFrozen
from plans.notice import notice_sections
from plans.permissions import PlanCapability, may
from plans.policy import PlanDocument, PlanInvalid
from plans.presets import UnknownPreset, preset_choices
from plans.selectors import diff_documents, get_plan_for, plans_for
from schools.selectors import get_term_for, terms_for

SECTIONS = [name for name in PlanDocument.model_fields if name != "schema_version"]


def _require(request, capability: PlanCapability) -> None:
    if not may(request.actor, capability):
        raise PermissionDenied


class ApprovalForm(forms.Form):
    meeting_date = forms.DateField(
        label=gettext_lazy("parent committee meeting date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attendance = forms.IntegerField(
        label=gettext_lazy("members present"), min_value=0, required=False
    )
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


@login_required
def plan_list(request):
    _require(request, PlanCapability.VIEW_PLANS)
    actor = request.actor
    plans = plans_for(actor).select_related("term").order_by("-term__start", "-version")
    return render(
        request,
        "plans/list.html",
        {
            "title": _("School plan"),
            "plans": plans,
            "terms": terms_for(actor).filter(school_id=actor.school_id).order_by("-start"),
            "presets": preset_choices(),
            "may_edit": may(actor, PlanCapability.EDIT_PLAN),
        },
    )


@login_required
@require_POST
def plan_create(request):
    _require(request, PlanCapability.EDIT_PLAN)
    term = get_term_for(request.actor, request.POST.get("term"))
    if term.school_id != request.actor.school_id:
        # A leader who is also a guardian elsewhere sees that school's terms; not its plans.
        raise Http404
    try:
        plan = services.create_draft_from_preset(
            term=term, preset_key=request.POST.get("preset", ""), acting_user=request.user
        )
    except UnknownPreset:
        messages.error(request, _("Choose one of the presets."))
        return redirect("plans:list")
    return redirect("plans:detail", plan.pk)


@login_required
def plan_detail(request, plan_id: int):
    _require(request, PlanCapability.VIEW_PLANS)
    plan = get_plan_for(request.actor, plan_id)
    context = {
        "title": _("School plan"),
        "plan": plan,
        "document_json": json.dumps(plan.document, ensure_ascii=False, indent=2),
        "sections": notice_sections(plan),
        "problems": [] if plan.is_published else services.publication_problems(plan),
        "may_edit": may(request.actor, PlanCapability.EDIT_PLAN),
        "may_publish": may(request.actor, PlanCapability.PUBLISH_PLAN),
        "approval_form": ApprovalForm(),
        "versions": plans_for(request.actor).filter(term=plan.term).order_by("-version"),
    }
    return render(request, "plans/detail.html", context)


@login_required
def plan_edit(request, plan_id: int):
    """Edit a draft section by section; every section is validated by the one validator."""
    _require(request, PlanCapability.EDIT_PLAN)
    plan = get_plan_for(request.actor, plan_id)
    if plan.is_published:
        messages.error(request, _("A published plan cannot be edited; make a new draft from it."))
        if request.method == "POST":
            return render(request, "plans/frozen.html", {"plan": plan}, status=409)
        return redirect("plans:detail", plan.pk)
    texts = {s: json.dumps(plan.document.get(s), ensure_ascii=False, indent=2) for s in SECTIONS}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        texts = {s: request.POST.get(s, texts[s]) for s in SECTIONS}
        document = {"schema_version": plan.document.get("schema_version", 1)}
        for section, text in texts.items():
            try:
                document[section] = json.loads(text)
            except json.JSONDecodeError as exc:
                errors.append(
                    (
                        label_for(section),
                        _("Not valid JSON (line %(line)s).") % {"line": exc.lineno},
                    )
                )
        if not errors:
            try:
                services.update_draft(plan=plan, document=document, acting_user=request.user)
            except PlanInvalid as exc:
                errors = [(label_for(path), message) for path, message in exc.errors]
            except PublishedPlanIsFrozen:
                return render(request, "plans/frozen.html", {"plan": plan}, status=409)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("plans:detail", plan.pk)
    return render(
        request,
        "plans/edit.html",
        {
            "title": _("Edit the plan"),
            "plan": plan,
            "sections": [(s, label_for(s), texts[s]) for s in SECTIONS],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def plan_figures(request, plan_id: int):
    """Edit the figures a school changes most (fees, meals, pay, refunds) in a plain form."""
    _require(request, PlanCapability.EDIT_PLAN)
    plan = get_plan_for(request.actor, plan_id)
    if plan.is_published:
        messages.error(request, _("A published plan cannot be edited; make a new draft from it."))
        if request.method == "POST":
            return render(request, "plans/frozen.html", {"plan": plan}, status=409)
        return redirect("plans:detail", plan.pk)
    form = KeyFiguresForm(request.POST or None, document=plan.document)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(plan=plan, document=form.patched(), acting_user=request.user)
        except PlanInvalid as exc:
            for path, message in exc.errors:
                form.add_error(path if path in form.fields else None, message)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("plans:detail", plan.pk)
    return render(
        request,
        "plans/figures.html",
        {"title": _("Edit the main figures"), "plan": plan, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def plan_approve(request, plan_id: int):
    _require(request, PlanCapability.EDIT_PLAN)
    plan = get_plan_for(request.actor, plan_id)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return redirect("plans:detail", plan.pk)
    try:
        services.approve(
            plan=plan,
            meeting_date=form.cleaned_data["meeting_date"],
            attendance=form.cleaned_data["attendance"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
        )
    except services.PlanStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The parent committee's approval is recorded."))
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def plan_publish(request, plan_id: int):
    _require(request, PlanCapability.PUBLISH_PLAN)
    plan = get_plan_for(request.actor, plan_id)
    try:
        services.publish(plan=plan, acting_user=request.user)
    except services.PlanNotPublishable as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    except services.PlanStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The plan is published."))
    return redirect("plans:detail", plan.pk)


@login_required
@require_POST
def plan_new_draft(request, plan_id: int):
    _require(request, PlanCapability.EDIT_PLAN)
    plan = get_plan_for(request.actor, plan_id)
    draft = services.new_draft_from(plan=plan, acting_user=request.user)
    return redirect("plans:edit", draft.pk)


@login_required
def plan_diff(request, plan_id: int, other_id: int):
    """Show what changed between two versions, field by field."""
    _require(request, PlanCapability.VIEW_PLANS)
    old, new = get_plan_for(request.actor, other_id), get_plan_for(request.actor, plan_id)
    if old.version > new.version:
        old, new = new, old
    return render(
        request,
        "plans/diff.html",
        {
            "title": _("Changes between versions"),
            "old": old,
            "new": new,
            "changes": diff_documents(old.document, new.document),
        },
    )
