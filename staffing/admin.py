"""Admin for staffing: a window on the records. Corrections, leave decisions and overrides go
through staffing.services from the pages (they keep history and audit rows), so those models
are read-only here; the weekly pattern and the roster may be edited directly."""

from __future__ import annotations

from django.contrib import admin

from staffing.models import (
    DutyAssignment,
    DutyPattern,
    Inspection,
    LeaveRequest,
    PerformanceEvent,
    TeachingRecord,
    TeachingRecordChange,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DutyPattern)
class DutyPatternAdmin(admin.ModelAdmin):
    list_display = ("term", "weekday", "post", "staff")
    list_filter = ("post", "weekday")
    raw_id_fields = ("school", "term", "staff")


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(admin.ModelAdmin):
    list_display = ("date", "post", "staff", "school")
    list_filter = ("post",)
    date_hierarchy = "date"
    list_select_related = ("staff", "school")
    raw_id_fields = ("school", "term", "staff")


@admin.register(TeachingRecord)
class TeachingRecordAdmin(ReadOnlyAdmin):
    list_display = ("date", "teacher", "outcome", "periods", "minutes_off", "confirmed_at")
    list_filter = ("outcome",)
    date_hierarchy = "date"
    list_select_related = ("teacher",)


@admin.register(TeachingRecordChange)
class TeachingRecordChangeAdmin(ReadOnlyAdmin):
    list_display = ("record", "old_outcome", "new_outcome", "reason", "changed_by", "changed_at")
    list_select_related = ("record__teacher", "changed_by")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ("teacher", "status", "substitute", "created_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("teacher", "substitute")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("at", "teacher", "inspector", "kind", "attendance_score", "content_score", "quality_score")
    list_filter = ("kind",)
    list_select_related = ("teacher", "inspector")


@admin.register(PerformanceEvent)
class PerformanceEventAdmin(ReadOnlyAdmin):
    list_display = ("date", "staff", "kind", "periods", "overridden")
    list_filter = ("kind", "overridden")
    date_hierarchy = "date"
    list_select_related = ("staff",)
