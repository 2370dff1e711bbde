"""A commendation recorded in error is voided with a reason (rules §3): kind
`commendation`, keyed by its number. Who may void one is `Role.VOIDS` (accounts)."""

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Commendation

COMMENDATION = register_void_kind(VoidKind("commendation", Commendation, "commendation_no",
                                           "commendations"))
