from django.contrib import admin

from pinzhi.core.admin import ReadOnlyAdmin

from .models import Policy, Product


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "long_term", "cooling_off_days"]
    list_filter = ["kind", "long_term"]
    search_fields = ["code", "name"]


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ["policy_no", "agent", "product", "printed_on", "status"]
    list_filter = ["status"]
    search_fields = ["policy_no"]
    exclude = ["applicant_id_number", "applicant_phone", "insured_id_number"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page
