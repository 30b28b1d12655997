from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _

from api.main import api


def not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Answer any other path under /api/ (or an id that is not a number) in the API's format."""
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [
    path("", api.urls),
    path("<path:rest>", not_found),
]
