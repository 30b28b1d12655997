"""Routes of the weekly report, monthly and term summaries (included by reports/urls.py).

Each period has its page, PDF, .xlsx, public page and public PDF.
"""

from __future__ import annotations

from django.urls import path

from reports import views_periodic as v

urlpatterns = [path("periods/<int:term_id>/", v.period_index, name="period_index")]
for name, prefix, kind in (
    ("weekly", "weekly/<int:term_id>/<str:key>/", "week"),
    ("monthly", "monthly/<int:term_id>/<str:key>/", "month"),
    ("term", "term/<int:term_id>/", "term"),
):
    urlpatterns += [
        path(prefix, v.period_page, {"kind": kind}, name=name),
        path(prefix + "pdf/", v.period_pdf, {"kind": kind}, name=f"{name}_pdf"),
        path(prefix + "xlsx/", v.period_xlsx, {"kind": kind}, name=f"{name}_xlsx"),
        path(
            prefix + "public/", v.period_page, {"kind": kind, "public": True}, name=f"{name}_public"
        ),
        path(
            prefix + "public/pdf/",
            v.period_pdf,
            {"kind": kind, "public": True},
            name=f"{name}_public_pdf",
        ),
    ]
