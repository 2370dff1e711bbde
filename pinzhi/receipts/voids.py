"""Receipts can be voided (rules §3), keyed by the policy number on the command line
(`pinzhi void receipt P2026000001 --reason ...`). What follows: the policy's
`receipt_not_returned` case is re-evaluated (an on-time receipt voided brings the case
back once the deadline has passed); a voided policy's case is voided with it."""

from pinzhi.core.voiding import VoidKind, add_follower, register_void_kind
from pinzhi.quality.services import case_void_by_rule

from . import rules
from .evaluation import reevaluate
from .models import Receipt


def _receipt_lookup(key: str) -> dict:
    if not key.strip():
        raise ValueError("expected a policy number")
    return {"policy__policy_no": key.strip()}


def _receipt_voided(receipt, *, by, now) -> None:
    reevaluate([receipt.policy_id], now)


def _policy_voided(policy, *, by, now) -> None:
    case_void_by_rule(rule_key=rules.rule_key(policy.policy_no), reason="the policy was voided")


register_void_kind(VoidKind("receipt", Receipt, "id", "receipts", lookup=_receipt_lookup,
                            key_help="POLICY", followers=[_receipt_voided]))
add_follower("policy", _policy_voided)
