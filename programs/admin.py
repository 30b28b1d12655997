"""Admin for programs: a window on the records, never a way round the rules.

One rule for every write that has one: weekly slots (clash and vetting checks), the grade
rules of a new offering, opening (the five fixes), session changes (history) and group
forming all go through programs.services, from the pages or the admin actions below. So
slots, sessions and group runs are read-only here, offerings are created on the page, and an
offering's status changes only through the open/close actions.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs import services
from programs.models import (
    CareGroup,
    CareGroupMember,
    GroupFormingRun,
    Offering,
    Session,
    SessionChange,
    WeeklySlot,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class WeeklySlotInline(ReadOnlyInline):
    """Slots are added on the offering's page, where the clash check runs."""

    model = WeeklySlot
    fields = ["weekday", "start", "end", "venue", "instructor"]
    readonly_fields = fields


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["name", "term", "kind", "status", "capacity", "is_charged"]
    list_filter = ["status", "kind", "term__school"]
    search_fields = ["name"]
    readonly_fields = [
        "page",
        "school",
        "term",
        "name",
        "kind",
        "status",
        "grades",
        "school_class",
        "venue",
        "instructors",
    ]
    fields = [*readonly_fields, "subject", "capacity", "is_charged", "content", "activity_plan"]
    inlines = [WeeklySlotInline]
    actions = ["open_offerings", "close_offerings"]

    def has_add_permission(self, request) -> bool:
        return False  # the page checks the plan's grade rules (services.create_offering)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting would take the sessions and their history with it: close it

    @admin.display(description=_("page"))
    def page(self, obj: Offering) -> str:
        url = reverse("programs:offering_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Slots, sessions and opening"))

    def _run(self, request, queryset, action, done: str) -> None:
        for offering in queryset.select_related("term"):
            try:
                action(offering=offering, acting_user=request.user)
            except services.ProgramError as exc:
                for problem in exc.problems:
                    self.message_user(request, problem, messages.ERROR)
            else:
                self.message_user(request, f"{offering}: {done}", messages.SUCCESS)

    @admin.action(description=_("Open for enrollment (checks the five fixes)"))
    def open_offerings(self, request, queryset) -> None:
        self._run(request, queryset, services.open_offering, str(_("open for enrollment")))

    @admin.action(description=_("Close"))
    def close_offerings(self, request, queryset) -> None:
        self._run(request, queryset, services.close_offering, str(_("closed")))


class SessionChangeInline(ReadOnlyInline):
    model = SessionChange
    fields = ["changed_at", "kind", "old_values", "new_values", "reason", "changed_by"]
    readonly_fields = fields


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    """Sessions change on their page (move, cancel, substitute), which keeps the history."""

    list_display = ["offering", "date", "start", "end", "venue", "instructor", "status"]
    list_filter = ["status", "offering__term__school"]
    date_hierarchy = "date"
    search_fields = ["offering__name"]
    list_select_related = ["offering", "venue", "instructor"]
    inlines = [SessionChangeInline]


class CareGroupInline(ReadOnlyInline):
    model = CareGroup
    fields = ["name", "venue", "teacher", "grades", "reason"]
    readonly_fields = fields


@admin.register(GroupFormingRun)
class GroupFormingRunAdmin(ReadOnlyAdmin):
    """Runs are made by the group forming page or ``manage.py form_groups``."""

    list_display = ["term", "service", "min_from_one_class", "merge", "created_at", "created_by"]
    list_filter = ["service", "term__school"]
    inlines = [CareGroupInline]


class CareGroupMemberInline(ReadOnlyInline):
    model = CareGroupMember
    fields = ["student", "school_class"]
    readonly_fields = fields


@admin.register(CareGroup)
class CareGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "run", "venue", "teacher"]
    list_filter = ["run__term__school", "run__service"]
    inlines = [CareGroupMemberInline]
