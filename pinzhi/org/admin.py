from django.contrib import admin

from pinzhi.core.admin import ReadOnlyAdmin

from .models import Agent, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "phones", "voided_at"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Agent)
class AgentAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "rank", "team", "status", "hired_on", "left_on"]
    list_filter = ["status", "rank"]
    search_fields = ["code", "name"]
    exclude = ["id_number", "phone"]  # masked data stays out of the admin
