from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from pinzhi.core.admin import ReadOnlyAdmin
from pinzhi.core.audit import audit

from .models import ApiToken, User


@admin.register(User)
class PinzhiUserAdmin(UserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "agent", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    autocomplete_fields = ["unit", "agent"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "unit", "agent"]}),
        (_("Password age"), {"fields": ["password_changed_at"]}),
    ]
    readonly_fields = ["password_changed_at"]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "unit", "agent"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued with `pinzhi token create` (the raw value is shown once)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]


# Deleting an attempt record in the admin lifts a lock: logged as an unlock (issue 9).
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoggedAccessAttemptAdmin(AccessAttemptAdmin):
    def delete_model(self, request, obj):
        self._log_unlocks(request, [obj.username])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._log_unlocks(request, queryset.values_list("username", flat=True))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _log_unlocks(request, usernames):
        for username in sorted({u for u in usernames if u}):
            audit(action="auth.unlocked", actor=request.user, kind="user", key=username,
                  data={"via": "admin"}, request=request)
