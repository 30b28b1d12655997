"""Pay pages. A month is ``YYYY-MM`` as plain text (the fixed routes come first); the views
parse it and answer 404 for anything else, so the access matrix can walk these routes too."""

from __future__ import annotations

from django.urls import path

from payroll import views, views_statements

app_name = "payroll"

urlpatterns = [
    path("", views.home, name="home"),
    path("runs/", views.runs, name="runs"),
    path("build/", views.build, name="build"),
    path("mine/", views_statements.mine, name="mine"),
    path("term/<int:term_id>/", views_statements.summary, name="summary"),
    path("term/<int:term_id>/awards/", views_statements.awards, name="awards"),
    path("<str:month>/", views.run_detail, name="run"),
    path("<str:month>/commit/", views.commit, name="commit"),
    path("<str:month>/sheet.xlsx", views.pay_sheet, name="sheet"),
    path("<str:month>/<int:staff_id>/", views_statements.statement, name="statement"),
    path("<str:month>/<int:staff_id>.pdf", views_statements.statement_file, name="statement_pdf"),
]
