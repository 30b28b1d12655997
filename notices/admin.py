"""Admin for the notice outbox: read-only; a notice is written by the change it reports."""

from __future__ import annotations

from django.contrib import admin

from notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "school", "guardian", "kind", "subject", "read_at", "sent_at", "attempts"]
    list_filter = ["kind", "school", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject", "guardian__name"]
    date_hierarchy = "created_at"
    list_select_related = ["school", "guardian"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
