from django.contrib import admin

from pinzhi.core.admin import ReadOnlyAdmin

from .models import Rank, RankDecision


@admin.register(Rank)
class RankAdmin(admin.ModelAdmin):
    """The rank catalogue: the name must match what the agents feed writes."""

    list_display = ["order", "code", "name", "manages_team"]
    ordering = ["order"]

    def has_delete_permission(self, request, obj=None):
        return False  # decisions and agents name it: renamed or reordered, never deleted


@admin.register(RankDecision)
class RankDecisionAdmin(ReadOnlyAdmin):
    """Read-only: decisions are made on /assessments/ or by the API, never edited."""

    list_display = ["period", "agent", "from_rank", "to_rank", "outcome", "recommended",
                    "decided_on", "by"]
    list_filter = ["period", "outcome"]
    search_fields = ["agent__code", "agent__name"]
