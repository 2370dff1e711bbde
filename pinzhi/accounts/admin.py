from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from pinzhi.core.admin import ReadOnlyAdmin

from .models import ApiToken, User


@admin.register(User)
class PinzhiUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "agent", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    autocomplete_fields = ["unit", "agent"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "unit", "agent"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "unit", "agent"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `pinzhi token create` (the raw value is shown once)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
