from __future__ import annotations

from django.urls import path, register_converter

from payroll import views, views_statements


class MonthConverter:
    """A month as YYYY-MM, kept as text (views parse it and answer 404 for a bad one)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"


register_converter(MonthConverter, "payroll_month")

app_name = "payroll"

urlpatterns = [
    path("", views.home, name="home"),
    path("runs/", views.runs, name="runs"),
    path("build/", views.build, name="build"),
    path("mine/", views_statements.mine, name="mine"),
    path("term/<int:term_id>/", views_statements.summary, name="summary"),
    path("term/<int:term_id>/awards/", views_statements.awards, name="awards"),
    path("<payroll_month:month>/", views.run_detail, name="run"),
    path("<payroll_month:month>/commit/", views.commit, name="commit"),
    path("<payroll_month:month>/sheet.xlsx", views.pay_sheet, name="sheet"),
    path("<payroll_month:month>/<int:staff_id>/", views_statements.statement, name="statement"),
    path("<payroll_month:month>/<int:staff_id>.pdf", views_statements.statement_file, name="statement_pdf"),
]
