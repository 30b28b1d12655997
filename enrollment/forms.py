"""Forms of the enrollment pages. They check the shape of the input only; the rules (windows,
grades, insurance cover, one live application per child) stay in enrollment.services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.models import ChildApplication, Review
from enrollment.selectors import ChildOption
from enrollment.services import ChildRequest
from plans.policy import PlanDocument

MAX_CHOICES = 3
_DATE = forms.DateInput(attrs={"type": "date"})


def new_key() -> str:
    """Return a fresh idempotency key for one rendering of the apply form."""
    return str(uuid.uuid4())


@dataclass
class ChildSection:
    """The fields of one child on the apply form, for the template."""

    option: ChildOption
    services: list[forms.BoundField]
    choices: list[forms.BoundField]
    insurance: list[forms.BoundField]
    keep: forms.BoundField | None


class ApplicationForm(forms.Form):
    """One form for all the guardian's children (a family with two children applies once)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    agreement_accepted = forms.BooleanField(
        label=_("I have read the service agreement above and accept it."),
        error_messages={"required": _("Read and accept the service agreement first.")},
    )

    def __init__(self, data=None, *, options: list[ChildOption], doc: PlanDocument):
        super().__init__(data, initial={"idempotency_key": new_key()})
        self.options = [o for o in options if o.applied is None]
        self.doc = doc
        self.has_after_school = bool(doc.windows_of("after_school"))
        self.has_noon_care = bool(doc.windows_of("noon_care"))
        self.has_meals = doc.fees.meals is not None
        self.needs_insurance = doc.safety.insurance_required
        for option in self.options:
            self._add_child_fields(option)

    def _add_child_fields(self, option: ChildOption) -> None:
        p = f"c{option.student.pk}_"
        if self.has_after_school:
            self.fields[p + "after_school"] = forms.BooleanField(label=_("After-school care"), required=False)
        if self.has_noon_care:
            self.fields[p + "noon_care"] = forms.BooleanField(label=_("Noon care"), required=False)
        if self.has_meals:
            self.fields[p + "meals"] = forms.BooleanField(label=_("School lunch"), required=False)
        offered = [("", "—")] + [(str(o.pk), o.name) for o in option.offerings]
        for rank in range(1, MAX_CHOICES + 1 if option.offerings else 1):
            self.fields[f"{p}choice_{rank}"] = forms.ChoiceField(
                label=_("Club choice %(rank)d") % {"rank": rank}, choices=offered, required=False
            )
        if len(self.options) > 1:
            self.fields[p + "keep"] = forms.BooleanField(
                label=_("Keep with brothers and sisters in the lottery"), required=False
            )
        if self.needs_insurance:
            self.fields[p + "insurer"] = forms.CharField(label=_("Insurer"), max_length=100, required=False)
            self.fields[p + "policy"] = forms.CharField(
                label=_("Insurance policy number"), max_length=64, required=False
            )
            self.fields[p + "ins_start"] = forms.DateField(label=_("Insured from"), required=False, widget=_DATE)
            self.fields[p + "ins_end"] = forms.DateField(label=_("Insured until"), required=False, widget=_DATE)

    def sections(self) -> list[ChildSection]:
        out = []
        for option in self.options:
            p = f"c{option.student.pk}_"
            named = [n for n in self.fields if n.startswith(p)]
            out.append(ChildSection(
                option=option,
                services=[self[n] for n in named if n[len(p):] in ("after_school", "noon_care", "meals")],
                choices=[self[n] for n in named if n[len(p):].startswith("choice_")],
                insurance=[self[n] for n in named if n[len(p):] in ("insurer", "policy", "ins_start", "ins_end")],
                keep=self[p + "keep"] if p + "keep" in self.fields else None,
            ))
        return out

    def clean(self):
        cleaned = super().clean()
        self.requests = [r for r in (self._request(o) for o in self.options) if r is not None]
        if not self.requests and not self.errors:
            raise forms.ValidationError(_("Choose at least one service or club for at least one child."))
        return cleaned

    def _request(self, option: ChildOption) -> ChildRequest | None:
        """Return what the guardian asks for this child, or None when nothing is ticked."""
        p, data = f"c{option.student.pk}_", self.cleaned_data
        choices = [int(data[f"{p}choice_{r}"]) for r in range(1, MAX_CHOICES + 1) if data.get(f"{p}choice_{r}")]
        request = ChildRequest(
            student_id=option.student.pk,
            after_school=bool(data.get(p + "after_school")),
            noon_care=bool(data.get(p + "noon_care")),
            meals=bool(data.get(p + "meals")),
            choices=choices,
            keep_with_siblings=bool(data.get(p + "keep")),
            insurer=data.get(p + "insurer") or "",
            insurance_policy=data.get(p + "policy") or "",
            insurance_start=data.get(p + "ins_start"),
            insurance_end=data.get(p + "ins_end"),
        )
        if not (request.after_school or request.noon_care or request.meals or request.choices):
            return None
        return request


class InsuranceForm(forms.Form):
    """The insurance a guardian corrects when resubmitting a returned application."""

    insurer = forms.CharField(label=_("Insurer"), max_length=100, required=False)
    policy = forms.CharField(label=_("Insurance policy number"), max_length=64, required=False)
    ins_start = forms.DateField(label=_("Insured from"), required=False, widget=_DATE)
    ins_end = forms.DateField(label=_("Insured until"), required=False, widget=_DATE)

    @classmethod
    def for_child(cls, data, child: ChildApplication) -> InsuranceForm:
        return cls(data, initial={
            "insurer": child.insurer, "policy": child.insurance_policy,
            "ins_start": child.insurance_start, "ins_end": child.insurance_end,
        })

    def request(self, child: ChildApplication) -> ChildRequest:
        data = self.cleaned_data
        return ChildRequest(
            student_id=child.student_id, insurer=data["insurer"], insurance_policy=data["policy"],
            insurance_start=data["ins_start"], insurance_end=data["ins_end"],
        )


class ReviewForm(forms.Form):
    """Approve the picked applications, or return them with a reason the guardian reads."""

    STEPS = [(s.value, s.label) for s in Review.Step]

    child = forms.TypedMultipleChoiceField(coerce=int, choices=[], error_messages={
        "required": _("Pick at least one application.")})
    step = forms.ChoiceField(choices=STEPS)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Any id is accepted here; the selector answers 404 for rows the reviewer may not take.
        ids = data.getlist("child") if data is not None and hasattr(data, "getlist") else []
        self.fields["child"].choices = [(i, i) for i in ids]


class AllocationForm(forms.Form):
    seed = forms.CharField(
        label=_("Lottery seed (optional)"), max_length=128, required=False,
        help_text=_("For example a number published in advance. Leave empty for a random seed; "
                    "it is published with the results either way."),
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Receipt number"), max_length=16, required=False)
