from django.contrib import admin

from pinzhi.core.admin import ReadOnlyAdmin

from .models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Messages are written by the services and told through the gateway, never by hand."""

    list_display = ["created_at", "agent", "kind", "subject", "told_at", "channel", "read_at"]
    list_filter = ["kind", "channel"]
    search_fields = ["key", "subject", "agent__code", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["agent"]
