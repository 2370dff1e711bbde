"""Callback facts that can be voided (rules §3), and what follows a voided fact: the
policy's callback re-evaluated, the cases drawn from the fact voided with it.

Keys on the command line: an attempt `POLICY/ROUND/TIME` (`P1/1/2026-02-12T09:40`), a
contact update `POLICY/TIME`, a request `POLICY/KIND`.
"""

from django.utils import timezone

from pinzhi.core.importing.parsers import timestamp
from pinzhi.core.voiding import VoidKind, add_follower, register_void_kind
from pinzhi.quality.models import Case
from pinzhi.quality.services import case_void_by_rule

from .effects import false_info_key
from .evaluation import evaluate
from .models import CallbackAttempt, CallbackRequest, CallbackStatus, ContactUpdate


def _parts(key: str, n: int) -> list[str]:
    parts = key.split("/", n - 1)
    if len(parts) != n or not all(parts):
        raise ValueError(f"expected {n} parts separated by /")
    return parts


def _attempt_lookup(key: str) -> dict:
    policy_no, round_, at = _parts(key, 3)
    return {"policy__policy_no": policy_no, "round": round_, "attempted_at": timestamp(at)}


def _update_lookup(key: str) -> dict:
    policy_no, at = _parts(key, 2)
    return {"policy__policy_no": policy_no, "changed_at": timestamp(at)}


def _request_lookup(key: str) -> dict:
    policy_no, kind = _parts(key, 2)
    return {"policy__policy_no": policy_no, "kind": kind}


def _reevaluate(policy_id: int, now) -> None:
    evaluate(as_of=max(now, timezone.now()), policy_ids=[policy_id], scope="void")


def _attempt_voided(attempt, *, by, now) -> None:
    reason = f"callback attempt {attempt.pk} was voided"
    for key in Case.objects.filter(rule_key__startswith=f"callbacks.finding:{attempt.pk}:",
                                   voided_at__isnull=True).values_list("rule_key", flat=True):
        case_void_by_rule(rule_key=key, reason=reason)
    _reevaluate(attempt.policy_id, now)


def _update_voided(update, *, by, now) -> None:
    case_void_by_rule(rule_key=false_info_key(update.policy.policy_no, update.changed_at),
                      reason="the contact update was voided")
    _reevaluate(update.policy_id, now)


def _request_voided(request, *, by, now) -> None:
    _reevaluate(request.policy_id, now)


def _policy_voided(policy, *, by, now) -> None:
    case_void_by_rule(rule_key=false_info_key(policy.policy_no), reason="the policy was voided")
    CallbackStatus.objects.filter(policy=policy).delete()  # derived: no policy, no state


register_void_kind(VoidKind("callback_attempt", CallbackAttempt, "id", "callback_attempts",
                            lookup=_attempt_lookup, key_help="POLICY/ROUND/TIME",
                            followers=[_attempt_voided]))
register_void_kind(VoidKind("contact_update", ContactUpdate, "id", "contact_updates",
                            lookup=_update_lookup, key_help="POLICY/TIME",
                            followers=[_update_voided]))
register_void_kind(VoidKind("callback_request", CallbackRequest, "id", "callback_requests",
                            lookup=_request_lookup, key_help="POLICY/KIND",
                            followers=[_request_voided]))
add_follower("policy", _policy_voided)
