"""Every change of a settlement, as a keyword-only service function (rules §6).

`settlement_compute` (a draft, replacing the previous one), `settlement_close` (four
eyes, months in order, into the append-only ledger), `settlement_discard` (a draft
only) and `adjustment_add` (a correction after closing). Each checks who asks, runs in a
transaction, and writes an event row; computing and closing hold the claim of their
scope, so that two runs of overlapping scopes never run at once while branches' runs go
on side by side (locking.py).
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.versions import path_prefixes
from pinzhi.org.models import Agent, Unit

from . import rules
from .drafting import month_adjustments, write_draft
from .locking import claimed, scopes_overlapping
from .models import Adjustment, DraftLine, LedgerLine, Settlement
from .refusals import SettlementRefused

__all__ = ["SettlementRefused", "settlement_compute", "settlement_close",
           "settlement_discard", "adjustment_add"]


# -- who may ---------------------------------------------------------------------------


def _covers(user, scope_path: str) -> bool:
    """The user's scope holds the whole of `scope_path`'s subtree."""
    if user.is_superuser or user.role in Role.ALL_SCOPE:
        return True
    return user.unit_id is not None and scope_path.startswith(user.unit.path)


def may(user, roles, scope_path: str = "") -> bool:
    return (user is not None and user.is_authenticated and user.has_role(roles)
            and _covers(user, scope_path))


NOT_ALLOWED = {  # one message per action, so that each translates whole
    "compute": gettext_noop("%(user)s may not compute the settlement of %(scope)s"),
    "close": gettext_noop("%(user)s may not close the settlement of %(scope)s"),
    "discard": gettext_noop("%(user)s may not discard the settlement of %(scope)s"),
    "adjust": gettext_noop("%(user)s may not adjust the settlement of %(scope)s"),
}


def _check(user, roles, scope_path: str, what: str) -> None:
    if user is not None and not may(user, roles, scope_path):
        raise SettlementRefused(NOT_ALLOWED[what], user=user.get_username(),
                                scope=scope_path or "*")


# -- order of months -------------------------------------------------------------------


def overlapping(scope_path: str):
    """Settlements whose scope overlaps `scope_path` (one subtree holds the other)."""
    return scopes_overlapping(Settlement.objects.all(), scope_path)


def _check_order(month: dt.date, scope_path: str, *, same: Settlement | None) -> None:
    others = overlapping(scope_path).exclude(pk=same.pk if same else None)
    closed = others.filter(status=Settlement.Status.CLOSED, month__gte=month).first()
    if closed is not None:
        raise SettlementRefused(gettext_noop(
            "%(month)s is closed for %(scope)s: a closed month is never recomputed, and "
            "months close in order"), month=closed.label, scope=closed.scope_name)
    # A month a killed run left `computing` holds the next back as a draft does: else
    # the next could close first, and the killed one could then never be settled.
    earlier = (others.filter(month__lt=month).exclude(status=Settlement.Status.CLOSED)
               .order_by("month").first())
    if earlier is not None and earlier.status == Settlement.Status.COMPUTING:
        raise SettlementRefused(gettext_noop(
            "%(month)s is being computed for %(scope)s, or its computation stopped "
            "half-way: compute it again and close it first (months close in order)"),
            month=earlier.label, scope=earlier.scope_name)
    if earlier is not None:
        raise SettlementRefused(gettext_noop(
            "%(month)s is still a draft for %(scope)s: close it first (months close in "
            "order)"), month=earlier.label, scope=earlier.scope_name)
    other = others.filter(month=month).first()
    if other is not None:
        raise SettlementRefused(gettext_noop(
            "%(month)s has a draft for %(scope)s, which overlaps: compute that unit, or "
            "discard its draft first"), month=other.label, scope=other.scope_name)


# -- computing -------------------------------------------------------------------------


@dataclass
class Computed:
    settlement: Settlement
    evaluated: list[str]  # the evaluation as of the cutoff that ran first, if any
    seconds: float
    derived: int = 0  # policies whose callback was derived from its facts

    def summary(self) -> str:
        s = self.settlement
        return (f"settlement {s.label} of {s.scope_name}: draft of {s.lines} lines over "
                f"{s.policies} policies, net {s.total('net')} (paid {s.total('paid')}, "
                f"withheld {s.total('withheld')}) in {self.seconds:.1f} s; "
                f"{self.derived} callbacks derived from their facts, the others' stored "
                f"states stood for them")


def settlement_compute(*, month: dt.date, unit: Unit | None = None, by=None,
                       evaluate: bool = True, wait: float = 0) -> Computed:
    """Compute the draft of `month` for `unit`'s subtree (all when None), replacing the
    previous draft. `by` None is the system account (the command line without --by).
    Refused while a run of an overlapping scope holds its claim (after `wait` seconds);
    a disjoint branch's run of the same month goes on at once."""
    month = month.replace(day=1)
    scope_path = unit.path if unit is not None else ""
    _check(by, Role.SETTLEMENT_COMPUTE, scope_path, "compute")
    with claimed(month=month, scope_path=scope_path, what="compute", by=by, wait=wait):
        same = Settlement.objects.filter(month=month, scope_path=scope_path).first()
        if same is not None and same.is_closed:
            raise SettlementRefused(gettext_noop(
                "%(month)s is closed for %(scope)s (by %(by)s at %(at)s): a closed month is "
                "never recomputed; correct it with an adjustment in a later month"),
                month=same.label, scope=same.scope_name, by=_name(same.closed_by),
                at=timezone.localtime(same.closed_at).strftime("%Y-%m-%d %H:%M"))
        _check_order(month, scope_path, same=same)
        evaluated = _evaluate_to_cutoff(month, scope_path) if evaluate else []
        started = time.perf_counter()
        counts: dict[str, int] = {}
        settlement = write_draft(month=month, unit=unit, scope_path=scope_path, by=by,
                                 counts=counts)
        settlement.seconds = round(time.perf_counter() - started, 3)
        Settlement.objects.filter(pk=settlement.pk).update(seconds=settlement.seconds)
    return Computed(settlement, evaluated, settlement.seconds, counts.get("derived", 0))


def _evaluate_to_cutoff(month: dt.date, scope_path: str) -> list[str]:
    """Move the time-dependent rules (cases, tasks) of the scope to the cutoff when no run
    over the whole scope has moved them that far yet; under the settlement's own claim,
    which covers the scope. The settlement itself derives every state as of the cutoff
    from the facts, so an evaluation after the cutoff never changes it."""
    from pinzhi.callbacks.candidates import covering_scopes
    from pinzhi.callbacks.models import EvaluationRun
    from pinzhi.core.evaluating import evaluate_all

    cutoff = rules.cutoff_at(month)
    if cutoff > timezone.now() or connection.in_atomic_block:
        return []
    last = (EvaluationRun.objects.filter(finished_at__isnull=False,
                                         scope__in=covering_scopes(scope_path))
            .order_by("-as_of").values_list("as_of", flat=True).first())
    if last is not None and last >= cutoff:
        return []
    return evaluate_all(cutoff, unit_path=scope_path)


def _name(user) -> str:
    return user.get_username() if user is not None else "system"


# -- closing ---------------------------------------------------------------------------


def settlement_close(*, settlement: Settlement, by) -> Settlement:
    """Close a draft: its lines go to the ledger, for good. `by` must be allowed to
    close and must not be who computed it (four eyes)."""
    if by is None:
        raise SettlementRefused(gettext_noop("closing needs a person (--by USER)"))
    _check(by, Role.SETTLEMENT_CLOSE, settlement.scope_path, "close")
    with claimed(month=settlement.month, scope_path=settlement.scope_path, what="close",
                 by=by):
        with transaction.atomic():
            settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
            _check_closable(settlement, by)
            moved = _to_ledger(settlement)
            settlement.status, settlement.closed_by = Settlement.Status.CLOSED, by
            settlement.closed_at = timezone.now()
            settlement.save(update_fields=["status", "closed_by", "closed_at"])
            Event.objects.create(actor=by, action="settlement.closed", kind="settlement",
                                 key=f"{settlement.label}/{settlement.scope_name}",
                                 data={"lines": moved, "totals": settlement.totals})
    return settlement


def _check_closable(settlement: Settlement, by) -> None:
    if settlement.status == Settlement.Status.COMPUTING:
        raise SettlementRefused(gettext_noop(
            "%(month)s is being computed, or its computation stopped half-way: compute "
            "it again, then close it"), month=settlement.label)
    if settlement.is_closed:
        raise SettlementRefused(gettext_noop(
            "%(month)s is already closed for %(scope)s (by %(by)s at %(at)s)"),
            month=settlement.label, scope=settlement.scope_name,
            by=_name(settlement.closed_by),
            at=timezone.localtime(settlement.closed_at).strftime("%Y-%m-%d %H:%M"))
    if settlement.computed_by_id is not None and settlement.computed_by_id == by.pk:
        raise SettlementRefused(gettext_noop(
            "%(user)s computed this draft: a second person must close it"),
            user=by.get_username())
    if timezone.now() < settlement.cutoff:
        raise SettlementRefused(gettext_noop(
            "%(month)s cannot close before its cutoff, %(cutoff)s"), month=settlement.label,
            cutoff=timezone.localtime(settlement.cutoff).strftime("%Y-%m-%d %H:%M"))
    _check_order(settlement.month, settlement.scope_path, same=settlement)
    drafted = {v for v in DraftLine.objects.filter(settlement=settlement,
                                                   action=rules.ADJUST)
               .values_list("rule_version", flat=True)}
    current = {f"adjustment#{pk}" for pk in month_adjustments(settlement.month,
                                                                settlement.scope_path)
               .values_list("pk", flat=True)}
    if drafted != current:
        raise SettlementRefused(gettext_noop(
            "adjustments of %(month)s were recorded or voided after the draft was "
            "computed: compute it again before closing"), month=settlement.label)


def _to_ledger(settlement: Settlement) -> int:
    """Copy the draft's lines into the ledger in one statement, then drop the draft."""
    columns = ("month", "policy_id", "agent_id", "action", "amount_fen", "reasons",
               "rule_version", "enters")
    names = ", ".join(columns)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {LedgerLine._meta.db_table} (settlement_id, recorded_at, {names}) "
            f"SELECT settlement_id, %s, {names} FROM {DraftLine._meta.db_table} "
            f"WHERE settlement_id = %s ORDER BY id",
            [connection.ops.adapt_datetimefield_value(timezone.now()), settlement.pk])
        moved = cur.rowcount
    DraftLine.objects.filter(settlement=settlement).delete()
    return moved


def settlement_discard(*, settlement: Settlement, by) -> None:
    """Drop a draft (to settle other units instead); a closed month stays."""
    _check(by, Role.SETTLEMENT_COMPUTE, settlement.scope_path, "discard")
    # Under the scope's claim: a draft being computed (its workers still writing lines)
    # is not deleted from under them.
    with claimed(month=settlement.month, scope_path=settlement.scope_path, what="discard",
                 by=by), transaction.atomic():
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if settlement.is_closed:
            raise SettlementRefused(gettext_noop("%(month)s is closed: it cannot be "
                                                 "discarded"), month=settlement.label)
        key = f"{settlement.label}/{settlement.scope_name}"
        settlement.delete()
        Event.objects.create(actor=by, action="settlement.discarded", kind="settlement",
                             key=key)


# -- corrections -----------------------------------------------------------------------


def first_open_month(agent: Agent) -> dt.date | None:
    """The month after the last one closed for the agent's unit (None: none closed)."""
    last = (Settlement.objects.filter(status=Settlement.Status.CLOSED,
                                      scope_path__in=["", *path_prefixes(agent.team.path)])
            .order_by("-month").values_list("month", flat=True).first())
    return rules.next_month(last) if last is not None else None


def adjustment_add(*, agent: Agent, amount_fen: int, reason: str, by, policy=None
                   ) -> Adjustment:
    """A signed correction of a closed month, in the first month not closed yet."""
    _check(by, Role.SETTLEMENT_ADJUST, agent.team.path, "adjust")
    if by is None:
        raise SettlementRefused(gettext_noop("an adjustment needs a person (--by USER)"))
    reason = (reason or "").strip()
    if not reason:
        raise SettlementRefused(gettext_noop("an adjustment needs a written reason"))
    if not amount_fen:
        raise SettlementRefused(gettext_noop("an adjustment needs an amount other than 0"))
    if policy is not None and policy.agent_id != agent.pk:
        raise SettlementRefused(gettext_noop("policy %(policy)s is not %(agent)s's"),
                                policy=policy.policy_no, agent=agent.code)
    month = first_open_month(agent)
    if month is None:
        raise SettlementRefused(gettext_noop(
            "no month is closed for %(agent)s yet: correct the facts and compute the draft "
            "again"), agent=agent.code)
    with transaction.atomic():
        adjustment = Adjustment.objects.create(month=month, agent=agent, policy=policy,
                                               amount_fen=amount_fen, reason=reason, by=by)
        Event.objects.create(actor=by, action="settlement.adjusted", kind="agent",
                             key=agent.code, data={"month": rules.month_label(month),
                                                   "amount_fen": amount_fen,
                                                   "policy": policy.policy_no if policy
                                                   else None, "reason": reason})
    return adjustment
