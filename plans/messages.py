"""Words for people: field labels of the plan document and validation messages.

The schema's own checks raise messages already translated (gettext at validation time);
this module words pydantic's built-in errors and names the fields a person edits.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Labels of the document's sections and common fields, keyed by the last path part.
LABELS: dict[str, Any] = {
    "title": gettext_lazy("title"),
    "region": gettext_lazy("region"),
    "school_stage": gettext_lazy("school stage"),
    "principles": gettext_lazy("principles"),
    "windows": gettext_lazy("service windows"),
    "kind": gettext_lazy("kind"),
    "weekdays": gettext_lazy("weekdays"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "periods": gettext_lazy("periods"),
    "grades": gettext_lazy("grades"),
    "content": gettext_lazy("content by grade"),
    "selection": gettext_lazy("selection"),
    "fees": gettext_lazy("fees"),
    "items": gettext_lazy("fee items"),
    "amount": gettext_lazy("amount"),
    "basis": gettext_lazy("basis"),
    "waivers": gettext_lazy("waivers"),
    "percent": gettext_lazy("percent"),
    "refund": gettext_lazy("refund rule"),
    "meals": gettext_lazy("meals"),
    "price_per_meal": gettext_lazy("price per meal"),
    "government_allocation_per_student": gettext_lazy("government allocation per student"),
    "pay": gettext_lazy("pay"),
    "rate_per_period": gettext_lazy("pay per period"),
    "cap_per_period": gettext_lazy("pay cap per period"),
    "subsidies": gettext_lazy("management subsidies"),
    "per_day": gettext_lazy("per day"),
    "deductions": gettext_lazy("deduction ladder"),
    "assessment": gettext_lazy("assessment"),
    "grouping": gettext_lazy("group forming"),
    "min_from_one_class": gettext_lazy("minimum from one class to stay a class"),
    "safety": gettext_lazy("safety"),
    "governance": gettext_lazy("governance"),
    "complaint_phone": gettext_lazy("complaint phone"),
    "parent_committee_approval": gettext_lazy("parent committee approval"),
}


def label_for(path: str) -> str:
    """Return a readable label for a dotted document path: "fees › fee items 1 › amount"."""
    parts: list[str] = []
    for part in path.split("."):
        if part.isdigit():
            parts[-1:] = [f"{parts[-1]} {int(part) + 1}" if parts else part]
        else:
            parts.append(str(LABELS.get(part, part)))
    return " › ".join(parts)


def error_message(err: Any) -> str:
    """Return one pydantic error in the user's language."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field: check the spelling.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in {"too_short", "string_too_short"}:
        return _("Must not be empty.")
    if kind == "literal_error":
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"string_type", "string_pattern_mismatch"}:
        return _("Enter text in the expected form.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"list_type", "model_type", "dict_type", "model_attributes_type"}:
        return _("This part has the wrong shape.")
    # Our own types (money, percent, clock) carry their translated message.
    return str(err.get("msg", kind))
