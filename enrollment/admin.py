"""Admin for enrollment: read-mostly.

Applications, reviews, choices and draws are written by enrollment.services and
enrollment.allocation (which also write the guardian's notices); the admin shows them and
never edits them, so no status changes without its review row and notice. Only the
enrollment window, which is set-up data, is edited here.
"""

from __future__ import annotations

from django.contrib import admin

from enrollment.models import (
    Application,
    ChildApplication,
    Choice,
    EnrollmentWindow,
    LotteryDraw,
    Review,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows written by the services; adds, edits and deletes go through them only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EnrollmentWindow)
class EnrollmentWindowAdmin(admin.ModelAdmin):
    list_display = ["term", "school", "opens_at", "closes_at", "offer_days"]
    list_filter = ["school"]
    list_select_related = ["term", "school"]
    raw_id_fields = ["term"]

    def save_model(self, request, obj, form, change):
        obj.school_id = obj.term.school_id  # the window's school is always its term's
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        return ["school"]


class ChildApplicationInline(ReadOnlyInline):
    model = ChildApplication
    fields = ["student", "status", "receipt", "wants_after_school", "wants_noon_care", "wants_meals"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "guardian", "term", "plan_version", "submitted_at"]
    list_filter = ["school", "term"]
    search_fields = ["guardian__name", "children__receipt"]
    list_select_related = ["guardian", "term"]
    inlines = [ChildApplicationInline]


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ["step", "decision", "reason", "reviewer", "at"]
    readonly_fields = fields


class ChoiceInline(ReadOnlyInline):
    model = Choice
    fields = ["rank", "offering", "status", "tier", "lottery_position", "waitlist_position", "why"]
    readonly_fields = fields


@admin.register(ChildApplication)
class ChildApplicationAdmin(ReadOnlyAdmin):
    list_display = ["receipt", "student", "status", "term", "updated_at"]
    list_filter = ["status", "school", "term"]
    search_fields = ["receipt", "student__name"]
    list_select_related = ["student", "term"]
    inlines = [ReviewInline, ChoiceInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["child_application", "step", "decision", "reason", "reviewer", "at"]
    list_filter = ["step", "decision"]
    list_select_related = ["child_application__student", "reviewer"]


@admin.register(Choice)
class ChoiceAdmin(ReadOnlyAdmin):
    list_display = ["child_application", "offering", "rank", "status", "tier", "lottery_position", "waitlist_position"]
    list_filter = ["status", "school"]
    search_fields = ["child_application__receipt", "offering__name"]
    list_select_related = ["child_application__student", "offering"]


@admin.register(LotteryDraw)
class LotteryDrawAdmin(ReadOnlyAdmin):
    list_display = ["offering", "rank", "places", "seed", "input_hash", "created_at"]
    list_filter = ["school"]
    list_select_related = ["offering"]
