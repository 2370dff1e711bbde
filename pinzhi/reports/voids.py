"""Renewals can be voided (rules §3), keyed `POLICY/DUE_ON` on the command line
(`pinzhi void renewal P2025000001/2026-01-15 --reason ...`). Nothing is derived from a
renewal and stored: the indicators read the live ones."""

from pinzhi.core.importing.parsers import date
from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Renewal


def _renewal_lookup(key: str) -> dict:
    policy_no, _, due_on = key.partition("/")
    if not policy_no or not due_on:
        raise ValueError("expected POLICY/DUE_ON")
    return {"policy__policy_no": policy_no, "due_on": date(due_on)}


register_void_kind(VoidKind("renewal", Renewal, "id", "renewals", lookup=_renewal_lookup,
                            key_help="POLICY/DUE_ON"))
