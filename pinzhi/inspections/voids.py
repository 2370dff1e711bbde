"""Plans and findings as voidable facts (rules §3): voided, never deleted."""

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Finding, InspectionPlan

register_void_kind(VoidKind("inspection_plan", InspectionPlan, "plan_no", "inspection_plans"))
register_void_kind(VoidKind("inspection_finding", Finding, "finding_no", "inspection_findings"))
