from django.contrib import admin

from pinzhi.core.admin import AddOnlyAdmin

from .models import Renewal, Target


@admin.register(Target)
class TargetAdmin(AddOnlyAdmin):
    """Head office adds a new version of an objective; a version is never edited."""

    list_display = ["indicator", "unit", "valid_from", "direction", "value", "created_at"]
    list_filter = ["indicator"]
    fields = ["indicator", "unit", "valid_from", "direction", "value", "note"]


@admin.register(Renewal)
class RenewalAdmin(admin.ModelAdmin):
    """Read-only: renewals come by `pinzhi import renewals` and are voided, not edited."""

    list_display = ["policy", "due_on", "amount", "paid_on", "voided_at"]
    search_fields = ["policy__policy_no"]
    readonly_fields = ["policy", "due_on", "amount_fen", "paid_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
