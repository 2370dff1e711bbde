"""The policy receipt (rules §5) as pure functions of plain facts and a day.

The deadline is the effective date + 3 calendar months, the same day of the month clamped
to the month's last day (2026-01-31 → 2026-04-30); collected on the deadline is on time.
Collected later: 20 yuan off that policy's commission. Not collected by the deadline: one
`receipt_not_returned` case, occurring the day after the deadline, once per policy.
[reading] The two sanctions are independent: a receipt collected late costs both.
Policies that are not long-term, or were cancelled in the cooling-off period, owe none.

The list page, the API, the evaluation and the settlement all read the state from here.
"""

import datetime as dt
from calendar import monthrange
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# States (`receipt_state`)
NOT_OWED = "not_owed"  # not long-term, or cancelled in the cooling-off period
OUTSTANDING = "outstanding"  # not collected yet, the deadline has not passed
OVERDUE = "overdue"  # not collected (as of the day), the deadline has passed
COLLECTED_ON_TIME = "collected_on_time"
COLLECTED_LATE = "collected_late"
STATES = (NOT_OWED, OUTSTANDING, OVERDUE, COLLECTED_ON_TIME, COLLECTED_LATE)
# The commission is withheld until the receipt is collected (rules §5).
WITHHOLDING = frozenset({OUTSTANDING, OVERDUE})

VIOLATION = "receipt_not_returned"  # the catalogue's item 3
RULE = "receipts.not_returned"


@dataclass(frozen=True)
class Params:
    """The numbers of §5, with the spec's values as defaults; the versions in force are
    read by `params_on` (`receipts.*` in pinzhi.core.parameters)."""

    deadline_months: int = 3
    late_deduction_fen: int = 2000  # 20.00 yuan


DEFAULT = Params()


class PolicyFacts(NamedTuple):
    effective_on: dt.date
    long_term: bool = True
    cooling_off_cancelled: bool = False


class ReceiptFacts(NamedTuple):
    collected_on: dt.date
    signed_on: dt.date | None = None


@lru_cache(maxsize=8192)  # a settlement asks it for a million policies of a few hundred days
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, clamped to that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))


def deadline(effective_on: dt.date, params: Params = DEFAULT) -> dt.date:
    return add_months(effective_on, params.deadline_months)


def case_day(effective_on: dt.date, params: Params = DEFAULT) -> dt.date:
    """The day the case occurs: the day after the deadline."""
    return deadline(effective_on, params) + dt.timedelta(days=1)


def effective_bound(day: dt.date, params: Params = DEFAULT) -> dt.date:
    """The earliest effective date whose deadline is on or after `day`.

    The deadline never decreases with the effective date, so `deadline(e) < day` exactly
    when `e < effective_bound(day)`: a query on the indexed effective date instead of
    a deadline computed for every row."""
    e = add_months(day, -params.deadline_months) - dt.timedelta(days=4)
    while deadline(e, params) >= day:  # never taken for 3 months; safe for any number
        e -= dt.timedelta(days=1)
    while deadline(e, params) < day:
        e += dt.timedelta(days=1)
    return e


def owes_receipt(policy: PolicyFacts) -> bool:
    return policy.long_term and not policy.cooling_off_cancelled


def receipt_state(policy: PolicyFacts, receipt: ReceiptFacts | None, as_of: dt.date,
                  params: Params = DEFAULT) -> str:
    """Where the receipt stood at the end of `as_of`."""
    if not owes_receipt(policy):
        return NOT_OWED
    due = deadline(policy.effective_on, params)
    if receipt is not None and receipt.collected_on <= as_of:
        return COLLECTED_ON_TIME if receipt.collected_on <= due else COLLECTED_LATE
    return OVERDUE if as_of > due else OUTSTANDING


def collected_in_time(policy: PolicyFacts, receipt: ReceiptFacts | None,
                      params: Params = DEFAULT) -> bool:
    return receipt is not None and receipt.collected_on <= deadline(policy.effective_on, params)


def case_due(policy: PolicyFacts, receipt: ReceiptFacts | None, as_of: dt.date,
             params: Params = DEFAULT) -> dt.date | None:
    """The day of the `receipt_not_returned` case if, as of `as_of`, the deadline has
    passed without a collection on or before it; else None. A late collection does not
    take the case away ([reading]: both sanctions apply)."""
    if not owes_receipt(policy) or collected_in_time(policy, receipt, params):
        return None
    day = case_day(policy.effective_on, params)
    return day if as_of >= day else None


def deserves_case(policy: PolicyFacts, receipt: ReceiptFacts | None,
                  params: Params = DEFAULT) -> bool:
    """Whether a recorded case still follows from the facts, whatever the day: the
    policy owes a receipt and none was collected by the deadline."""
    return owes_receipt(policy) and not collected_in_time(policy, receipt, params)


def late_deduction_fen(policy: PolicyFacts, receipt: ReceiptFacts | None,
                       params: Params = DEFAULT) -> int:
    """20 yuan (in fen) when the receipt was collected after the deadline, else 0."""
    if receipt is None or not owes_receipt(policy) or collected_in_time(policy, receipt,
                                                                        params):
        return 0
    return params.late_deduction_fen


def rule_key(policy_no: str) -> str:
    return f"{RULE}:{policy_no}"
