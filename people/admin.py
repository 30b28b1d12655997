from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import (
    Consent,
    DistrictOfficer,
    Guardian,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    User,
    Vetting,
)
from people.roles import Role
from people.services import set_staff_roles


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Kehou", {"fields": ("phone",)}))
    list_display = ["username", "phone", "first_name", "is_active", "is_staff"]
    search_fields = ["username", "phone", "first_name"]


class StudentGuardianInline(admin.TabularInline):
    model = StudentGuardian
    extra = 0
    raw_id_fields = ["guardian"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["name", "student_number", "school_class", "school", "masked_national_id"]
    list_filter = ["school", "school_class__grade"]
    search_fields = ["name", "pinyin", "student_number"]
    raw_id_fields = ["school_class"]
    inlines = [StudentGuardianInline]


@admin.register(Guardian)
class GuardianAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_phone"]
    search_fields = ["name", "phone"]
    raw_id_fields = ["user"]


class StaffForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Staff
        fields = ["school", "user", "name", "gender", "phone", "subjects", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = list(
                StaffRole.objects.filter(staff=self.instance).values_list("role", flat=True)
            )


class VettingInline(admin.StackedInline):
    model = Vetting
    extra = 0


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "subjects", "is_active"]
    list_filter = ["school", "roles__role", "is_active"]
    search_fields = ["name", "pinyin"]
    raw_id_fields = ["user"]
    form = StaffForm
    inlines = [VettingInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Roles change only through the service, which writes the audit row.
        set_staff_roles(
            staff=form.instance, roles=set(form.cleaned_data["roles"]), acting_user=request.user
        )


@admin.register(DistrictOfficer)
class DistrictOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only: consent is given and withdrawn by guardians on their page, never by staff."""

    list_display = ["student", "purpose", "guardian", "given_at", "withdrawn_at", "text_version"]
    list_filter = ["school", "purpose"]
    raw_id_fields = ["student", "guardian", "withdrawn_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
