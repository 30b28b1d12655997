"""The guardian's consent page: give or withdraw consent for each child (PIPL art. 31)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from people.consent import (
    CONSENT_TEXT_VERSION,
    consents_of_guardian,
    give_consent,
    withdraw_consent,
)
from people.models import Guardian, Student


@login_required
@never_cache
def consent(request):
    actor = request.actor
    if not actor.is_guardian:
        raise PermissionDenied
    if request.method == "POST":
        guardian = Guardian.objects.select_related("user").get(pk=actor.guardian_id)
        student_id, action = request.POST.get("student", ""), request.POST.get("action", "")
        if not student_id.isdigit() or action not in {"give", "withdraw"}:
            messages.error(request, _("Choose a child and whether to give or withdraw consent."))
            return redirect("people:consent")
        try:
            if action == "give":
                give_consent(guardian=guardian, student_id=int(student_id))
                messages.success(request, _("Consent recorded. Thank you."))
            elif withdraw_consent(guardian=guardian, student_id=int(student_id)):
                messages.success(
                    request,
                    _(
                        "Consent withdrawn. The school will not use the child's details for the "
                        "service; open applications have been withdrawn."
                    ),
                )
            else:
                messages.info(request, _("There was no consent to withdraw."))
        except Student.DoesNotExist:
            raise Http404 from None
        return redirect("people:consent")
    return render(
        request,
        "people/consent.html",
        {
            "title": _("Consent for your children's details"),
            "rows": consents_of_guardian(actor.guardian_id),
            "text_version": CONSENT_TEXT_VERSION,
        },
    )
