"""Admin for events: a read-only window on the records; every write goes through events.services."""

from __future__ import annotations

from django.contrib import admin

from events.models import Competition, Entry, Invitation, Item, Media, Milestone, Showcase


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Showcase)
class ShowcaseAdmin(ReadOnly):
    list_display = ["title", "term", "school"]
    list_filter = ["school"]


@admin.register(Item)
class ItemAdmin(ReadOnly):
    list_display = ["offering", "form", "cohort", "venue", "lead"]
    list_filter = ["school", "form"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnly):
    list_display = ["title", "due", "owner", "done_at"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ["item", "guardian", "answer", "people"]
    list_filter = ["answer"]


@admin.register(Media)
class MediaAdmin(ReadOnly):
    list_display = ["item", "kind", "content_type", "size", "uploaded_at"]


@admin.register(Competition)
class CompetitionAdmin(ReadOnly):
    list_display = ["name", "kind", "start", "end", "results_published", "school"]
    list_filter = ["school", "kind"]


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["competition", "school_class", "score", "placement"]
