"""Admin for payroll: read-only. Runs are built and committed through payroll.services (the
pages and ``manage.py pay_run``), which post to the ledger once."""

from __future__ import annotations

from django.contrib import admin

from payroll.models import PayLine, PayRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PayLineInline(admin.TabularInline):
    model = PayLine
    extra = 0
    can_delete = False
    fields = ("staff", "periods", "teaching_pay", "duty_days", "subsidy", "external_pay", "deducted", "net")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PayRun)
class PayRunAdmin(ReadOnlyAdmin):
    list_display = ("school", "month", "term", "status", "period_value", "committed_at")
    list_filter = ("status",)
    list_select_related = ("school", "term")
    inlines = [PayLineInline]


@admin.register(PayLine)
class PayLineAdmin(ReadOnlyAdmin):
    list_display = ("run", "staff", "periods", "teaching_pay", "subsidy", "external_pay", "deducted", "net")
    list_select_related = ("run__school", "staff")
