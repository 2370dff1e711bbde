"""Whether a candidate may sign the agency contract on a day (issue 8), as pure functions
of his recorded checks: the law's bars on agents (保险法 第122条; 《保险代理人监管规定》
(2020) 第28条).

- Every required kind (all but `own_record`, which Pinzhi checks by itself against its
  former agents) has at least one live check recorded on or before the contract day.
- No bar is live on the contract day.

[reading] The 5-year bans ("执行完毕之日起未逾五年", "被吊销…之日起未逾五年") count like the
Civil Code's periods (民法典 第201、202、1259条): the event's own day is not counted, the
period ends on the corresponding day of the 5th year (the month's last day when there is
none: an event on 29 February ends on 28 February), and "未逾" includes that last day.
So an event on 2021-03-10 bars through 2026-03-10; the contract may be signed on
2026-03-11. A ban with an end date (禁入, 失信) bars through its end date; one without an
end date bars for good.

[reading] Bars of an event (a sentence, a revoked licence, a dismissal, our own ending of
a contract) stand once recorded: a later `clear` check of the same kind does not lift
them (a mistaken record is voided). The lists (禁止进入金融业, 失信联合惩戒对象) are a
state: the latest check of the kind on or before the contract day decides.
"""

import datetime as dt
from typing import NamedTuple

CRIMINAL_RECORD = "criminal_record"
LICENCE_REVOKED = "licence_revoked"
DISMISSED_FOR_CAUSE = "dismissed_for_cause"
INDUSTRY_BAN = "industry_ban"
CREDIT_BLACKLIST = "credit_blacklist"
OWN_RECORD = "own_record"

KINDS = (CRIMINAL_RECORD, LICENCE_REVOKED, DISMISSED_FOR_CAUSE, INDUSTRY_BAN,
         CREDIT_BLACKLIST, OWN_RECORD)
EVENT_KINDS = frozenset({CRIMINAL_RECORD, LICENCE_REVOKED, DISMISSED_FOR_CAUSE, OWN_RECORD})
LIST_KINDS = frozenset({INDUSTRY_BAN, CREDIT_BLACKLIST})
REQUIRED = tuple(k for k in KINDS if k != OWN_RECORD)

CLEAR, BARRED = "clear", "barred"
FLAGGED = "flagged"  # own_record found by Pinzhi itself: barred until a person clears it
OUTCOMES = (CLEAR, BARRED)

# The candidate's state on a day (derived, never stored).
PENDING, CLEARED, BARRED_STATE, CONTRACTED = "pending", "cleared", "barred", "contracted"
STATES = (PENDING, CLEARED, BARRED_STATE, CONTRACTED)
FOREVER = dt.date.max


class Check(NamedTuple):
    kind: str
    outcome: str  # clear, barred (recorded) or flagged (own_record, by Pinzhi)
    checked_on: dt.date
    event_on: dt.date | None = None
    ends_on: dt.date | None = None


def anniversary(day: dt.date, years: int) -> dt.date:
    """The corresponding day `years` later; 29 February goes to the month's last day."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def barred_until(kind: str, event_on: dt.date | None, ends_on: dt.date | None,
                 ban_years: int) -> dt.date:
    """The last day a barred outcome of `kind` bars (inclusive)."""
    if kind in EVENT_KINDS:
        if event_on is None:
            raise ValueError(f"a barred {kind} needs the day of its event")
        return anniversary(event_on, ban_years)
    if kind in LIST_KINDS:
        return ends_on if ends_on is not None else FOREVER
    raise ValueError(f"unknown kind {kind!r}")


def missing_kinds(checks: list[Check], contract_day: dt.date) -> list[str]:
    done = {c.kind for c in checks if c.checked_on <= contract_day}
    return [k for k in REQUIRED if k not in done]


def live_bars(checks: list[Check], contract_day: dt.date, ban_years: int
              ) -> list[tuple[Check, dt.date]]:
    """The checks that bar the contract on `contract_day`, each with its last barred day."""
    known = [c for c in checks if c.checked_on <= contract_day]
    cleared_own = any(c.kind == OWN_RECORD and c.outcome == CLEAR for c in known)
    latest: dict[str, Check] = {}
    for c in sorted(known, key=lambda c: c.checked_on):
        if c.kind in LIST_KINDS:
            latest[c.kind] = c
    bars = []
    for c in known:
        if c.kind in LIST_KINDS and latest[c.kind] is not c:
            continue
        if c.outcome == FLAGGED and cleared_own:
            continue
        if c.outcome in (BARRED, FLAGGED):
            until = barred_until(c.kind, c.event_on, c.ends_on, ban_years)
            if until >= contract_day:
                bars.append((c, until))
    return bars


def verdict(checks: list[Check], contract_day: dt.date, ban_years: int
            ) -> tuple[bool, list[str]]:
    """(may sign on `contract_day`, the reasons it may not)."""
    reasons = [f"{kind} not checked" for kind in missing_kinds(checks, contract_day)]
    for check, until in live_bars(checks, contract_day, ban_years):
        if check.outcome == FLAGGED:
            reasons.append(f"own_record: a former agent of ours who left on "
                           f"{check.event_on.isoformat()}: a person must clear it")
        elif until == FOREVER:
            reasons.append(f"{check.kind}: barred with no end date")
        else:
            reasons.append(f"{check.kind}: barred through {until.isoformat()}")
    return not reasons, reasons


def state(checks: list[Check], day: dt.date, ban_years: int, contracted: bool) -> str:
    """pending (a check missing), barred (a live bar), cleared (may sign), contracted."""
    if contracted:
        return CONTRACTED
    if live_bars(checks, day, ban_years):
        return BARRED_STATE
    return PENDING if missing_kinds(checks, day) else CLEARED


def check_refusal(kind: str, outcome: str, checked_on: dt.date, event_on: dt.date | None,
                  ends_on: dt.date | None) -> tuple[str, str] | None:
    """(field, why) a check may not be recorded as given; None: it may."""
    if kind not in KINDS:
        return "kind", f"not one of {', '.join(KINDS)}"
    if outcome not in OUTCOMES:
        return "outcome", f"not one of {', '.join(OUTCOMES)}"
    if outcome == BARRED and kind in EVENT_KINDS and event_on is None:
        return "event_on", "required for a barred outcome: the day of the event"
    if event_on is not None and event_on > checked_on:
        return "event_on", "after checked_on"
    if ends_on is not None and kind not in LIST_KINDS:
        return "ends_on", f"only for {', '.join(sorted(LIST_KINDS))}"
    if ends_on is not None and outcome != BARRED:
        return "ends_on", "only for a barred outcome"
    return None
