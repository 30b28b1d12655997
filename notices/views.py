"""The guardian's inbox in Kehou: their notices, newest first; opening one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from notices.models import Notice
from notices.services import mark_read


def _guardian_id(request: HttpRequest) -> int:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.is_guardian:
        raise PermissionDenied
    return actor.guardian_id


@login_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    guardian_id = _guardian_id(request)
    notices = Notice.objects.filter(guardian_id=guardian_id).select_related("school")
    page = Paginator(notices.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {
        "title": _("Inbox"),
        "page": page,
        "unread": notices.filter(read_at__isnull=True).count(),
    })


@login_required
@never_cache
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    guardian_id = _guardian_id(request)
    try:
        notice = Notice.objects.select_related("school").get(pk=notice_id, guardian_id=guardian_id)
    except Notice.DoesNotExist:
        raise Http404 from None
    mark_read(notice=notice)
    return render(request, "notices/notice.html", {"title": notice.subject, "notice": notice})
