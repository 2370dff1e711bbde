"""Every change of a receipt, as a keyword-only service function (rules §5).

Each checks that the change is allowed, records the fact with who and when, writes an
event row, re-evaluates the policy's case as of now, and runs in a transaction.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.policies.models import Policy, PolicyStatus

from . import rules
from .evaluation import reevaluate
from .models import Receipt, policy_facts

# Branch clerks register receipts (rules §9); so may whoever may load the receipts feed.
REGISTRAR_ROLES = frozenset({Role.CLERK, Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})


class ReceiptRefused(Refused):
    """A change of this area that is not allowed (pinzhi.core.refusals)."""


@dataclass(frozen=True)
class Registered:
    receipt: Receipt
    policy_no: str
    deadline: dt.date
    late: bool
    deduction_fen: int


def may_register(user) -> bool:
    return user is not None and user.is_authenticated and (
        user.has_role(REGISTRAR_ROLES))


def find_policy(*, policy_no: str, by) -> Policy:
    """The live policy of that number in `by`'s scope, or a refusal saying why not."""
    policy_no = (policy_no or "").strip()
    if not policy_no:
        raise ReceiptRefused(gettext_noop("enter a policy number"))
    rows = Policy.objects.select_related("product", "agent__team")
    if by is not None:
        rows = rows.restrict(by)
    policy = rows.filter(policy_no=policy_no).first()
    if policy is None:
        raise ReceiptRefused(gettext_noop("no policy %(policy)s"), policy=policy_no)
    return policy


def why_no_receipt(policy: Policy, collected_on: dt.date | None = None) -> str | None:
    """The refusal message (untranslated) when the policy owes no receipt; a receipt
    collected on or before the day of a cooling-off cancellation is still recorded."""
    if policy.voided_at is not None:
        return gettext_noop("policy %(policy)s is voided")
    if not policy.product.long_term:
        return gettext_noop("policy %(policy)s owes no receipt: it is not long-term")
    if policy.status == PolicyStatus.COOLING_OFF_CANCELLED and (
            policy.status_on is None or collected_on is None or collected_on > policy.status_on):
        return gettext_noop("policy %(policy)s owes no receipt: it was cancelled in the "
                            "cooling-off period")
    return None


def receipt_register(*, policy: Policy, collected_on: dt.date, by,
                     signed_on: dt.date | None = None, now: dt.datetime | None = None,
                     ip: str | None = None) -> Registered:
    """Register the receipt of `policy`, collected (scanned) on `collected_on`."""
    now = now or timezone.now()
    no = policy.policy_no
    if by is not None and not may_register(by):
        raise ReceiptRefused(gettext_noop("%(user)s may not register receipts"), user=by)
    if by is not None and not Policy.objects.restrict(by).filter(pk=policy.pk).exists():
        raise ReceiptRefused(gettext_noop("policy %(policy)s is outside %(user)s's scope"),
                             policy=no, user=by)
    if (why := why_no_receipt(policy, collected_on)) is not None:
        raise ReceiptRefused(why, policy=no)
    today = timezone.localdate(now)
    if collected_on > today:
        raise ReceiptRefused(gettext_noop("the collection date %(day)s is in the future"),
                             day=collected_on.isoformat())
    if signed_on is not None and signed_on > collected_on:
        raise ReceiptRefused(gettext_noop("signed on %(signed)s, after it was collected "
                                          "on %(day)s"),
                             signed=signed_on.isoformat(), day=collected_on.isoformat())
    with transaction.atomic():
        existing = Receipt.objects.select_for_update().filter(policy=policy).first()
        if existing is not None and existing.voided_at is None:
            raise ReceiptRefused(gettext_noop("the receipt of %(policy)s was already "
                                              "registered (collected on %(day)s)"),
                                 policy=no, day=existing.collected_on.isoformat())
        if existing is not None:
            raise ReceiptRefused(gettext_noop("the receipt of %(policy)s was voided; a "
                                              "voided receipt is not registered again"),
                                 policy=no)
        receipt = Receipt.objects.create(policy=policy, collected_on=collected_on,
                                         signed_on=signed_on, registered_by=by,
                                         created_at=now, updated_at=now)
        facts = policy_facts(policy)
        deduction = rules.late_deduction_fen(facts, receipt.facts())
        Event.objects.create(at=now, actor=by, action="receipt.registered", kind="receipt",
                             key=no, ip=ip, data={
                                 "collected_on": collected_on.isoformat(),
                                 "signed_on": signed_on.isoformat() if signed_on else None,
                                 "deduction_fen": deduction})
        reevaluate([policy.pk], now)
    return Registered(receipt=receipt, policy_no=no, deadline=rules.deadline(
        policy.effective_on), late=deduction > 0, deduction_fen=deduction)


def receipt_register_by_number(*, policy_no: str, collected_on: dt.date, by,
                               signed_on: dt.date | None = None,
                               ip: str | None = None) -> Registered:
    """The clerk's scan: the policy by its number in his scope, then `receipt_register`."""
    policy = find_policy(policy_no=policy_no, by=by)
    return receipt_register(policy=policy, collected_on=collected_on, by=by,
                            signed_on=signed_on, ip=ip)
