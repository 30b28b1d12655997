"""The REST API (django-ninja) under /api/: thin over the same selectors as the pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from api import endpoints_people, endpoints_schools
from api.auth import API_AUTH
from schools.calendar import CalendarYearUnknown

DESCRIPTION = """
The Kehou (课后) after-school service API. Read-only for now: students, guardians,
classes and terms.

**Authentication.** Either a bearer token (`Authorization: Bearer kh_…`; an administrator
issues one with `manage.py create_api_token USERNAME --name NAME`), or the browser's
signed-in session, in which case unsafe methods must send the `X-CSRFToken` header.
Without either the answer is 401.

**Scope.** Every answer is limited to what the caller may see on the pages: a guardian
their own children, staff their own school, a district officer the district's schools.
A row outside that scope answers 404, exactly like a row that does not exist.

**Personal data.** ID numbers are always masked. Guardians' phones are masked unless the
caller's role needs them (or it is the caller's own); priority groups are `null` unless the
caller's role may see them (or it is the caller's own child).

**Formats.**
- Dates: ISO 8601 strings `YYYY-MM-DD`.
- Date-times: ISO 8601 with the offset of Asia/Shanghai, e.g. `2026-09-01T16:30:00+08:00`.
- Money (in later endpoints): decimal strings in yuan with two places, e.g. `"350.00"`;
  never floating-point numbers.
- Text is in the language of the `Accept-Language` header (`zh-hans` by default, or `en`).

**Lists** are paginated: `?page=1&page_size=50` (at most 200), answering
`{"items": [...], "count": N}` where `count` is the total across all pages.

**Errors** answer `{"detail": ...}`: 401 not signed in, 404 not found (or not yours),
409 a conflict the school must resolve first (e.g. an unknown holiday year), and
422 invalid input, where `detail` lists each field with its message.
"""

api = NinjaAPI(
    title="Kehou API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", endpoints_people.router)
api.add_router("", endpoints_schools.router)
api.add_router("/enrollment", "enrollment.api.router")
api.add_router("/plans", "plans.api.router")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": _("Sign in, or send a valid API token as “Authorization: Bearer …”.")},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="kehou"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError(403, "CSRF check Failed") for a session request without the token.
    message = _("CSRF check failed.") if exc.status_code == 403 else str(exc)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(CalendarYearUnknown)
def calendar_year_unknown(request: HttpRequest, exc: CalendarYearUnknown) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=409)
