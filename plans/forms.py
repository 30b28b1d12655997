"""The plan page's form for the figures a school changes most: fees, meals, pay, refunds.

It only patches the document; validation is the one validator
(:func:`plans.policy.parse_document`, called by :func:`plans.services.update_draft`).
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# (document path, label, kind) for the figures shown on the form.
FIXED_FIELDS: list[tuple[str, Any, str]] = [
    ("fees.meals.price_per_meal", _("price per meal (yuan)"), "money"),
    (
        "fees.refund.after_continuous_absent_days",
        _("refund after more than N school days absent"),
        "int",
    ),
    ("pay.rate_per_period", _("teacher pay per period (yuan)"), "money"),
    ("pay.cap_per_period", _("pay cap per period (yuan)"), "money"),
    ("grouping.min_from_one_class", _("pupils from one class to stay a class"), "int"),
    ("governance.complaint_phone", _("complaint phone"), "text"),
]


def _get(document: dict[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.split("."):
        if value is None:
            return None
        value = value[int(part)] if isinstance(value, list) else value.get(part)
    return value


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    *head, last = path.split(".")
    target: Any = document
    for part in head:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def key_paths(document: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """Return the editable figures present in ``document``: each fee item, then the fixed ones."""
    paths = [
        (f"fees.items.{i}.amount", item.get("name", ""), "money")
        for i, item in enumerate(document.get("fees", {}).get("items", []))
    ]
    return paths + [
        (p, label, kind) for p, label, kind in FIXED_FIELDS if _get(document, p) is not None
    ]


class KeyFiguresForm(forms.Form):
    """One text box per figure, keyed by its document path (money stays text: no floats)."""

    def __init__(self, *args, document: dict[str, Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.paths = key_paths(document)
        for path, label, kind in self.paths:
            field: forms.Field
            if kind == "int":
                field = forms.IntegerField(label=label, min_value=0)
            else:
                field = forms.CharField(label=label, max_length=32, required=kind == "money")
            field.initial = _get(document, path)
            self.fields[path] = field

    def patched(self) -> dict[str, Any]:
        """Return a copy of the document with the submitted figures written in."""
        document = copy.deepcopy(self.document)
        for path, _label, _kind in self.paths:
            value = self.cleaned_data[path]
            _set(document, path, value.strip() if isinstance(value, str) else value)
        return document
