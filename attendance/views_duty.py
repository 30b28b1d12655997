"""The duty leader's screen (值班领导): unaccounted children, open alerts, refused pickups,
refreshed by htmx polling; resolving alerts; the patrol record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from attendance import selectors
from attendance.forms import PatrolForm
from attendance.models import Alert, Patrol
from attendance.services import AttendanceError
from attendance.services_log import record_patrol, resolve_alert
from attendance.views_common import DUTY_ROLES, moment_of, service_day, staff_actor

REFRESH_SECONDS = 45


def _panel_context(actor, date) -> dict:
    return {
        "date": date,
        "services": selectors.unaccounted_now(actor.school_id, date, moment_of(date)),
        "alerts": selectors.open_alerts(actor.school_id, date),
        "refused": selectors.refused_pickups(actor.school_id, date),
        "refreshed_at": timezone.localtime(),
        "refresh": REFRESH_SECONDS,
    }


@login_required
@never_cache
def duty(request):
    """Every child who should be in someone's care and is not confirmed, with the last adult."""
    actor = staff_actor(request, *DUTY_ROLES)
    return render(request, "attendance/duty.html", {"title": _("Duty screen"), **_panel_context(actor, service_day(request))})


@login_required
@never_cache
def duty_panel(request):
    """The part of the duty screen that htmx reloads every ``REFRESH_SECONDS``."""
    actor = staff_actor(request, *DUTY_ROLES)
    return render(request, "attendance/_duty_panel.html", _panel_context(actor, service_day(request)))


@login_required
@require_POST
def alert_resolve(request, pk: int):
    """Mark an alert as dealt with (duty leaders, leaders, and the child's head teacher)."""
    actor = staff_actor(request)
    alert = Alert.objects.filter(pk=pk, school_id=actor.school_id).first()
    if alert is None:
        raise Http404
    try:
        resolve_alert(actor=actor, alert=alert)
    except AttendanceError as exc:
        raise PermissionDenied(exc.message) from exc
    if request.htmx:
        if actor.has_role(*DUTY_ROLES):
            return render(request, "attendance/_duty_panel.html", _panel_context(actor, alert.date))
        return render(request, "attendance/_alert_done.html", {"alert": alert})
    messages.success(request, _("The alert has been resolved."))
    return redirect(request.POST.get("next") or "attendance:today")


@login_required
@never_cache
def patrol(request):
    """值班领导巡视: the duty leader's round of the groups and sessions (plan 7 六(四)4)."""
    actor = staff_actor(request, *DUTY_ROLES)
    date = timezone.localdate()
    groups = selectors.todays_groups(actor.school_id, date)
    sessions = list(selectors.sessions_of_school(actor.school_id, date))
    form = PatrolForm(request.POST or None, groups=groups, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        place = form.cleaned_data["place"]
        group = next((g for g in groups if f"g{g.pk}" == place), None)
        session = next((s for s in sessions if f"s{s.pk}" == place), None)
        try:
            record_patrol(actor=actor, care_group=group, session=session,
                          all_well=form.cleaned_data["all_well"], notes=form.cleaned_data["notes"])
        except AttendanceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Patrol recorded."))
            return redirect("attendance:patrol")
    patrols = Patrol.objects.filter(school_id=actor.school_id, date=date).select_related(
        "leader", "care_group", "session__offering")
    return render(request, "attendance/patrol.html", {"title": _("Patrol"), "form": form, "patrols": patrols})
