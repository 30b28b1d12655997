from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from people.models import (
    DistrictOfficer,
    Guardian,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    User,
    Vetting,
)


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


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


class VettingInline(admin.StackedInline):
    model = Vetting
    extra = 0


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "subjects", "is_active"]
    list_filter = ["school", "roles__role", "is_active"]
    search_fields = ["name", "pinyin"]
    raw_id_fields = ["user"]
    inlines = [StaffRoleInline, VettingInline]


@admin.register(DistrictOfficer)
class DistrictOfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
