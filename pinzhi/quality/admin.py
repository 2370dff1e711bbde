from django.contrib import admin

from pinzhi.core.admin import AddOnlyAdmin, ReadOnlyAdmin

from .models import Case, HalfYearClose, StandingScheme, ViolationType, ViolationVersion


class VersionInline(admin.TabularInline):
    model = ViolationVersion
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "valid_from", "name_zh", "name_en", "article", "points_tenths",
                       "tier_after", "tier_points_tenths", "created_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ViolationType)
class ViolationTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "owner"]
    inlines = [VersionInline]


@admin.register(ViolationVersion)
class ViolationVersionAdmin(AddOnlyAdmin):
    list_display = ["type", "unit", "valid_from", "points_tenths", "tier_after",
                    "tier_points_tenths", "name_zh"]
    list_filter = ["type"]


@admin.register(StandingScheme)
class StandingSchemeAdmin(AddOnlyAdmin):
    list_display = ["valid_from", "unit", "single_case_termination_tenths"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases change state only through the quality pages (services)."""

    list_display = ["case_no", "agent", "type", "occurred_on", "status", "source"]
    list_filter = ["status", "source", "type"]
    search_fields = ["case_no", "agent__code"]


@admin.register(HalfYearClose)
class HalfYearCloseAdmin(ReadOnlyAdmin):
    list_display = ["period", "closed_at", "closed_by"]
