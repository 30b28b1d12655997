"""Admin for the service day's records: read-only evidence (writes go through the services,
which keep history, audit rows and alerts)."""

from __future__ import annotations

from django.contrib import admin

from attendance.models import (
    Alert,
    CareLog,
    GateEntry,
    HandOver,
    Incident,
    LeaveNote,
    Mark,
    MarkCorrection,
    Patrol,
    Pickup,
    RefusedPickup,
    RollCall,
    WeeklyClassRecord,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show the rows; never add, change or delete them here."""

    list_select_related = True
    list_per_page = 50

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MarkInline(admin.TabularInline):
    model = Mark
    extra = 0
    can_delete = False
    fields = ("student", "status", "marked_by", "marked_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LeaveNote)
class LeaveNoteAdmin(ReadOnlyAdmin):
    list_display = ("date", "student", "session", "reason", "created_at", "cancelled_at")
    list_filter = ("school", "date")
    search_fields = ("student__name", "student__pinyin", "reason")
    date_hierarchy = "date"


@admin.register(RollCall)
class RollCallAdmin(ReadOnlyAdmin):
    list_display = ("date", "care_group", "session", "taken_by", "taken_at")
    list_filter = ("school", "date")
    date_hierarchy = "date"
    inlines = [MarkInline]


@admin.register(MarkCorrection)
class MarkCorrectionAdmin(ReadOnlyAdmin):
    list_display = ("mark", "old_status", "new_status", "corrected_by", "corrected_at")


@admin.register(HandOver)
class HandOverAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "care_group", "from_staff", "to_staff", "handed_count", "on_leave_count",
                    "handed_at", "received_count", "received_at")
    list_filter = ("school", "date", "kind")
    date_hierarchy = "date"


@admin.register(Pickup)
class PickupAdmin(ReadOnlyAdmin):
    list_display = ("date", "student", "guardian", "checked_by", "released_by", "at")
    list_filter = ("school", "date", "checked_by")
    search_fields = ("student__name", "student__pinyin", "guardian__name")


@admin.register(RefusedPickup)
class RefusedPickupAdmin(ReadOnlyAdmin):
    list_display = ("date", "student", "claimed_by", "reason", "recorded_by", "at")
    list_filter = ("school", "date")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "student", "message", "created_at", "resolved_at", "resolved_by")
    list_filter = ("school", "date", "kind")


@admin.register(GateEntry)
class GateEntryAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "purpose", "for_student", "time_in", "time_out", "recorded_by")
    list_filter = ("school", "date")
    search_fields = ("name", "purpose")


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    list_display = ("date", "leader", "care_group", "session", "at", "all_well", "notes")
    list_filter = ("school", "date", "all_well")


@admin.register(CareLog)
class CareLogAdmin(ReadOnlyAdmin):
    list_display = ("date", "care_group", "teacher", "written_at")
    list_filter = ("school", "date")


@admin.register(WeeklyClassRecord)
class WeeklyClassRecordAdmin(ReadOnlyAdmin):
    list_display = ("week_start", "school_class", "term", "written_by", "archived")
    list_filter = ("school", "term", "archived")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "severity", "guardian_notified_at", "escalated_at", "reported_by")
    list_filter = ("school", "kind", "severity")
    date_hierarchy = "date"
