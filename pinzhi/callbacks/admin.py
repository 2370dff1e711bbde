"""Callbacks in the admin: the script versions are configuration (added, never edited);
facts and derived states are read-only here (they change through imports, the pages and
`pinzhi evaluate`)."""

from django.contrib import admin

from pinzhi.core.admin import AddOnlyAdmin, ReadOnlyAdmin

from .models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
    ManualCallback,
    ScriptVersion,
)


@admin.register(ScriptVersion)
class ScriptVersionAdmin(AddOnlyAdmin):
    list_display = ["product_kind", "valid_from", "note"]


@admin.register(CallbackAttempt)
class CallbackAttemptAdmin(ReadOnlyAdmin):
    list_display = ["policy", "round", "attempted_at", "outcome", "flag", "operator",
                    "voided_at"]
    list_filter = ["round", "outcome", "flag"]
    search_fields = ["policy__policy_no"]


@admin.register(ContactUpdate)
class ContactUpdateAdmin(ReadOnlyAdmin):
    list_display = ["policy", "changed_at", "agent", "voided_at"]
    search_fields = ["policy__policy_no"]
    exclude = ["phone"]  # masked data stays out of the admin (rules §9)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(ReadOnlyAdmin):
    list_display = ["policy", "kind", "requested_on", "approved_on", "earliest_on"]
    list_filter = ["kind"]


@admin.register(CallbackStatus)
class CallbackStatusAdmin(ReadOnlyAdmin):
    list_display = ["policy", "status", "next_call_at", "deadline_at", "attempts",
                    "condition_met"]
    list_filter = ["status", "condition_met"]
    search_fields = ["policy__policy_no"]
    exclude = ["phone"]  # the applicant's current phone: masked data stays out of the admin


@admin.register(ManualCallback)
class ManualCallbackAdmin(ReadOnlyAdmin):
    list_display = ["policy", "opened_at", "due_on", "owner", "method", "closed_at"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "as_of", "scope", "policies", "changed", "finished_at"]
    list_filter = ["scope"]
