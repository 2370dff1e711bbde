"""The admin: configuration (users, parameters, the calendar), and read-only views of
facts and logs. Facts change through imports and services, never by hand here."""

from django.contrib import admin

from .models import CalendarDay, Event, ImportRun, Parameter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Facts and logs: looked at, never edited or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AddOnlyAdmin(ReadOnlyAdmin):
    """Versioned rows: a new version is added; a used one is never edited."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "kind", "key", "ip"]
    list_filter = ["action", "kind"]
    search_fields = ["key", "action"]
    date_hierarchy = "at"


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "filename", "by", "outcome", "rows", "created",
                    "updated", "unchanged"]
    list_filter = ["kind", "outcome"]


@admin.register(Parameter)
class ParameterAdmin(AddOnlyAdmin):
    list_display = ["key", "unit", "valid_from", "value", "created_by", "created_at"]
    list_filter = ["key"]
    fields = ["key", "unit", "valid_from", "value", "note"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Administrators add each year's holidays and make-up days when they are published."""

    list_display = ["day", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"
