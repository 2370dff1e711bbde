"""The monthly commission settlement (rules §6) as pure functions of plain facts.

`settle_policy(policy, callback, history, month)` says what the settlement of `month`
does with one policy: nothing, or its lines (pay with deductions, withhold with every
reason, forfeit, cancel, recover). It sees the facts as they stood before the month's
cutoff, the 20th at 00:00 (+08:00): a date-only event counts if dated the 19th or earlier,
and the callback is passed in as it stood at that moment. `history` is what the closed
months of the ledger already did with the policy. The command, the pages, the API, the
agent's forecast and the tests all get their lines from here; nothing else decides them.

Amounts are whole fen. Deductions are priced by the version of their parameter in force
on the day of the event they price (a late receipt: its collection day; a changed phone:
the manual callback's verdict), each capped at what is left of the commission.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple
from zoneinfo import ZoneInfo

from pinzhi.callbacks import rules as callback_rules
from pinzhi.receipts import rules as receipt_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
CUTOFF_DAY = 20  # events before the 20th count for the month (rules §6)
RULES_VERSION = "settlement-2026.1"  # the lines this code produces, for pay/withhold/...

# Actions (interfaces.md, settlement --detail)
PAY, DEDUCT, RECOVER, ADJUST = "pay", "deduct", "recover", "adjust"
WITHHOLD, FORFEIT, CANCEL = "withhold", "forfeit", "cancel"
ACTIONS = (PAY, DEDUCT, RECOVER, ADJUST, WITHHOLD, FORFEIT, CANCEL)
# One of these per policy in scope per month: it carries the whole commission.
MAIN = frozenset({PAY, WITHHOLD, FORFEIT, CANCEL})
RESOLVING = frozenset({PAY, FORFEIT, CANCEL})  # the policy leaves the settlement

# Reasons
RECEIPT_MISSING = "receipt_missing"
CALLBACK_PENDING = "callback_pending"
CALLBACK_AWAITING_MANUAL = "callback_awaiting_manual"
FINDING_OPEN = "finding_open"
WITHHOLD_REASONS = (RECEIPT_MISSING, CALLBACK_PENDING, CALLBACK_AWAITING_MANUAL, FINDING_OPEN)
RECEIPT_LATE = "receipt_late"
PHONE_CHANGED = "phone_changed"

CONDITION_MET = frozenset({callback_rules.NOT_REQUIRED, callback_rules.EXEMPTED,
                           callback_rules.SUCCEEDED})
PHONE_ROUNDS = frozenset({callback_rules.WAITING, callback_rules.ROUND_1,
                          callback_rules.AGENT_WINDOW, callback_rules.ROUND_2})


# -- months ---------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    """'2026-03' -> 2026-03-01; ValueError for anything else."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"not a month (YYYY-MM): {text!r}") from None


def month_label(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def next_month(month: dt.date) -> dt.date:
    return receipt_rules.add_months(month.replace(day=1), 1)


def cutoff_day(month: dt.date) -> dt.date:
    """The first day that no longer counts: the 20th of the month."""
    return month.replace(day=CUTOFF_DAY)


def cutoff_at(month: dt.date) -> dt.datetime:
    """The cutoff moment: the 20th at 00:00 +08:00 (timestamps before it count)."""
    return dt.datetime.combine(cutoff_day(month), dt.time(0), tzinfo=SHANGHAI)


# -- facts ----------------------------------------------------------------------------


class PolicyFacts(NamedTuple):
    commission_fen: int
    printed_on: dt.date
    effective_on: dt.date
    long_term: bool = True
    cancelled_on: dt.date | None = None  # cancelled in the cooling-off period on
    receipt_collected_on: dt.date | None = None


class CallbackFacts(NamedTuple):
    """The callback as it stood at the cutoff (callbacks.rules.callback_state)."""

    status: str = callback_rules.NOT_REQUIRED
    finding_open: bool = False  # a finding of the success whose case was not decided
    phone_changed: bool = False  # the manual callback found the number changed
    verdict_on: dt.date | None = None  # the day of the manual callback's verdict


class History(NamedTuple):
    """What the closed months' ledger did with the policy."""

    entered: bool = False  # it had a line (it entered an earlier month)
    resolved: str | None = None  # pay, forfeit or cancel
    net_paid_fen: int = 0  # paid less deducted
    recovered: bool = False


NEW = History()


class Line(NamedTuple):
    action: str
    amount_fen: int  # positive; the action gives the direction (adjust: signed)
    reasons: tuple[str, ...] = ()
    rule_version: str = RULES_VERSION
    enters: bool = False  # the policy entered the settlement this month (its main line)


@dataclass(frozen=True)
class Params:
    """The numbers that price a policy's lines, as versioned parameters (with the label
    of the version, written on each line)."""

    deadline_months: int = 3
    receipt_late_fen: int = 2000
    phone_changed_fen: int = 4000
    receipt_late_version: str = "receipts.late_deduction_fen@default"
    phone_changed_version: str = "settlement.phone_changed_deduction_fen@default"


DEFAULT = Params()


def default_params(_day: dt.date) -> Params:
    return DEFAULT


# -- the rule -------------------------------------------------------------------------


def settle_policy(policy: PolicyFacts, callback: CallbackFacts, history: History,
                  month: dt.date,
                  params_on: Callable[[dt.date], Params] = default_params) -> list[Line]:
    """The lines of `month` for one policy (rules §6), in the order of the rule."""
    cutoff = month.replace(day=CUTOFF_DAY)  # dates before it count (cutoff_day)
    cancelled = policy.cancelled_on is not None and policy.cancelled_on < cutoff
    if history.resolved is not None:
        if history.resolved == PAY and not history.recovered and cancelled:
            return [Line(RECOVER, max(history.net_paid_fen, 0))]
        return []
    if policy.printed_on >= cutoff:
        return []
    commission, enters = policy.commission_fen, not history.entered
    if cancelled:
        return [Line(CANCEL, commission, enters=enters)]
    if callback.status == callback_rules.MANUAL_FAILED:
        return [Line(FORFEIT, commission, enters=enters)]
    collected = policy.receipt_collected_on
    receipt_in = not policy.long_term or (collected is not None and collected < cutoff)
    callback_met = callback.status in CONDITION_MET and not callback.finding_open
    if receipt_in and callback_met:
        if policy.long_term or callback.phone_changed:
            return [Line(PAY, commission, enters=enters),
                    *deductions(policy, callback, params_on)]
        return [Line(PAY, commission, enters=enters)]  # nothing to deduct: no receipt owed
    reasons = []
    if not receipt_in:
        reasons.append(RECEIPT_MISSING)
    if callback.status in PHONE_ROUNDS:
        reasons.append(CALLBACK_PENDING)
    elif callback.status == callback_rules.MANUAL:
        reasons.append(CALLBACK_AWAITING_MANUAL)
    if callback.finding_open:
        reasons.append(FINDING_OPEN)
    return [Line(WITHHOLD, commission, tuple(reasons), enters=enters)]


def deductions(policy: PolicyFacts, callback: CallbackFacts,
               params_on: Callable[[dt.date], Params] = default_params) -> list[Line]:
    """`receipt_late` then `phone_changed`, each capped at what is left of the
    commission; a deduction that finds nothing left writes no line."""
    priced = []
    collected = policy.receipt_collected_on
    if policy.long_term and collected is not None:
        p = params_on(collected)
        due = receipt_rules.add_months(policy.effective_on, p.deadline_months)
        if collected > due:
            priced.append((RECEIPT_LATE, p.receipt_late_fen, p.receipt_late_version))
    if callback.phone_changed and callback.verdict_on is not None:
        p = params_on(callback.verdict_on)
        priced.append((PHONE_CHANGED, p.phone_changed_fen, p.phone_changed_version))
    lines, left = [], policy.commission_fen
    for reason, fen, version in priced:
        amount = min(fen, left)
        if amount > 0:
            lines.append(Line(DEDUCT, amount, (reason,), version))
            left -= amount
    return lines


def callback_facts(state: callback_rules.CallbackState, finding_open: bool) -> CallbackFacts:
    """The settlement's view of a callback state."""
    verdict_on = None
    if state.success_round == "manual" and state.ended_at is not None:
        verdict_on = state.ended_at.astimezone(SHANGHAI).date()
    return CallbackFacts(state.status, finding_open and bool(state.findings),
                         state.phone_changed, verdict_on)


# -- totals ---------------------------------------------------------------------------


@dataclass
class Totals:
    """One agent's (or a whole settlement's) month, in fen (interfaces.md columns)."""

    accrued: int = 0
    paid: int = 0
    deducted: int = 0
    recovered: int = 0
    adjusted: int = 0
    forfeited: int = 0
    cancelled: int = 0
    withheld: int = 0

    @property
    def net(self) -> int:
        return self.paid - self.deducted - self.recovered + self.adjusted

    def add(self, action: str, amount_fen: int, enters: bool = False) -> None:
        field = {PAY: "paid", DEDUCT: "deducted", RECOVER: "recovered", ADJUST: "adjusted",
                 FORFEIT: "forfeited", CANCEL: "cancelled", WITHHOLD: "withheld"}[action]
        setattr(self, field, getattr(self, field) + amount_fen)
        if enters:
            self.accrued += amount_fen

    def as_dict(self) -> dict[str, int]:
        return {"accrued": self.accrued, "paid": self.paid, "deducted": self.deducted,
                "recovered": self.recovered, "adjusted": self.adjusted,
                "forfeited": self.forfeited, "cancelled": self.cancelled,
                "withheld": self.withheld, "net": self.net}


COLUMNS = ("accrued", "paid", "deducted", "recovered", "adjusted", "forfeited", "cancelled",
           "withheld", "net")


def totals(lines: Iterable[tuple[str, int, bool]]) -> Totals:
    """(action, amount, enters) lines summed."""
    result = Totals()
    for action, amount, enters in lines:
        result.add(action, amount, enters)
    return result
