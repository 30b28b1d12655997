"""Admin for school plans: drafts edited through the same validator and services as the page.

A published plan is shown read-only and cannot be deleted.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from plans import services
from plans.messages import label_for
from plans.models import SchoolPlan
from plans.policy import PlanInvalid, parse_document
from plans.presets import load_preset, preset_choices


class SchoolPlanForm(forms.ModelForm):
    """Validates the document with :func:`plans.policy.parse_document`, the one validator."""

    preset_key = forms.ChoiceField(label=_("preset"), required=False)
    document = forms.JSONField(
        label=_("plan document"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        help_text=_("Leave empty when adding to start from the preset."),
    )

    class Meta:
        model = SchoolPlan
        fields = ["term", "preset_key", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "preset_key" in self.fields:
            self.fields["preset_key"].choices = [("", "—"), *preset_choices()]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document in (None, "", {}):
            return None
        try:
            return parse_document(document).dump()
        except PlanInvalid as exc:
            raise ValidationError(
                [f"{label_for(path)}: {message}" for path, message in exc.errors]
            ) from None

    def clean(self):
        cleaned = super().clean()
        self.from_preset = False
        if not self.instance.pk and not cleaned.get("document") and "document" not in self.errors:
            if not cleaned.get("preset_key"):
                raise ValidationError(_("Choose a preset or enter a plan document."))
            # The service fills the document from the preset; the form only needs a value.
            self.from_preset = True
            cleaned["document"] = load_preset(cleaned["preset_key"]).document
        if self.instance.pk and not cleaned.get("document") and "document" not in self.errors:
            self.add_error("document", _("The plan document is required."))
        return cleaned


@admin.register(SchoolPlan)
class SchoolPlanAdmin(admin.ModelAdmin):
    form = SchoolPlanForm
    list_display = ["term", "school", "version", "status", "preset_key", "updated_at"]
    list_filter = ["status", "school"]
    search_fields = ["school__name", "term__name"]
    actions = ["make_new_draft"]

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "school",
            "version",
            "status",
            "based_on",
            "created_by",
            "approved_at",
            "approved_by",
            "published_at",
            "published_by",
        ]
        if obj is None:
            return []
        return [*fixed, "term", "preset_key"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["term", "preset_key", "document"]
        return [
            "school",
            "term",
            "version",
            "status",
            "preset_key",
            "based_on",
            "document",
            "created_by",
            "approved_at",
            "approved_by",
            "published_at",
            "published_by",
        ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        document = form.cleaned_data.get("document")
        if change:
            saved = services.update_draft(plan=obj, document=document, acting_user=request.user)
        elif form.from_preset:
            saved = services.create_draft_from_preset(
                term=obj.term, preset_key=form.cleaned_data["preset_key"], acting_user=request.user
            )
        else:
            saved = services.create_draft(
                term=obj.term,
                document=document,
                acting_user=request.user,
                preset_key=form.cleaned_data.get("preset_key", ""),
            )
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def delete_queryset(self, request, queryset):
        queryset.exclude(status=SchoolPlan.Status.PUBLISHED).delete()

    @admin.action(description=_("Make a new draft from the selected versions"))
    def make_new_draft(self, request, queryset):
        for plan in queryset.select_related("term"):
            services.new_draft_from(plan=plan, acting_user=request.user)
        messages.success(request, _("New drafts made."))
