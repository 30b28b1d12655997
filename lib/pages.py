"""Small helpers shared by the pages of every app."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest


def show_problems(request: HttpRequest, problems: list[str]) -> None:
    """Show each refusal of a service as an error message."""
    for problem in problems:
        messages.error(request, problem)


def show_form_errors(request: HttpRequest, form) -> None:
    """Show a form's field errors as messages, each naming its field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
