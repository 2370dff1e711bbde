"""A grievance recorded in error is voided with a reason (rules §3): kind `grievance`,
keyed by its number. Who may void one is `Role.VOIDS` (accounts)."""

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Grievance

GRIEVANCE = register_void_kind(VoidKind("grievance", Grievance, "grievance_no", "grievances"))
