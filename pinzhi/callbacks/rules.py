"""New-policy callback (rules §4.1–4.3) as a pure function of the recorded facts.

`callback_state(policy, attempts, updates, as_of)` replays the facts with timestamps
before `as_of`, in time order, whatever order they arrived in, and says where the
callback stood at that moment. The call queue, the settlement (rules §6) and the
indicators all read the state from here; nothing else decides it.

A fact counts only if it happened before `as_of` and, when `known_at` is given, was
recorded by then: a settlement computed on the 22nd sees the callbacks as it knew them.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

SUCCESS = "success"
TEMPORARY = frozenset({"no_answer", "not_present", "hung_up", "declined_call", "busy",
                       "inconvenient", "powered_off", "other"})
NUMBER_PROBLEM = frozenset({"no_contact", "empty_number", "wrong_number",
                            "agent_or_branch_phone", "recording", "fax", "suspended",
                            "number_paused"})
REFUSAL = frozenset({"refused_self", "refused_family"})
SPECIAL = frozenset({"special_no_callback", "surrendered", "special_policy"})
OUTCOMES = frozenset({SUCCESS}) | TEMPORARY | NUMBER_PROBLEM | REFUSAL | SPECIAL

# States (`CallbackState.status`)
NOT_REQUIRED = "not_required"  # not long-term: the callback condition is met (§4.1.6)
EXEMPTED = "exempted"  # an approved exemption satisfies the condition (§4.7)
WAITING = "waiting"  # round 1 has not opened yet
ROUND_1 = "round_1"
AGENT_WINDOW = "agent_window"  # round 1 failed: the agent confirms or updates (§4.1.2)
ROUND_2 = "round_2"
MANUAL = "manual"  # round 2 failed, or a special outcome: the manual callback is open
SUCCEEDED = "succeeded"
MANUAL_FAILED = "manual_failed"
STATUSES = (NOT_REQUIRED, EXEMPTED, WAITING, ROUND_1, AGENT_WINDOW, ROUND_2, MANUAL,
            SUCCEEDED, MANUAL_FAILED)
ENDED = frozenset({NOT_REQUIRED, EXEMPTED, SUCCEEDED, MANUAL_FAILED})

# Why an attempt is kept but not counted (models.Flag)
OUTSIDE_HOURS = "outside_hours"
TOO_SOON = "too_soon"
ROUND_NOT_OPEN = "round_not_open"
AFTER_END = "after_end"


@dataclass(frozen=True)
class Params:
    """Every number of §4.1–4.2, a versioned parameter with the spec's value as default."""

    opens_after_printed_days: int = 10
    first_hour: int = 9  # calls from 09:00:00
    last_hour: int = 21  # up to, not including, 21:00:00
    spacing_hours: int = 6
    failures_to_fail: int = 3
    min_days: int = 2
    min_slots: int = 2
    agent_days: int = 10
    slots: tuple[tuple[int, int, str], ...] = (
        (9, 12, "morning"), (12, 18, "afternoon"), (18, 21, "evening"))


DEFAULT = Params()


class Policy(NamedTuple):
    printed_on: dt.date
    long_term: bool = True
    early_from: dt.date | None = None  # an approved early callback: max(earliest, approved)
    exempted_on: dt.date | None = None  # an approved exemption
    phone_false: bool = False  # the phone given is an agent's or a branch's (§4.6)


# Facts are named tuples, not frozen dataclasses: an evaluation builds millions of them,
# and a tuple is built several times faster.
class Attempt(NamedTuple):
    at: dt.datetime
    round: str  # "1", "2" or "manual"
    outcome: str
    findings: tuple[str, ...] = ()
    phone_changed: bool = False
    recorded_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None  # "call me after 19:00"
    id: int | None = None  # the stored row, to write its flag back


class Update(NamedTuple):
    """The agent confirmed or updated the contact details (§4.1.2); `phone_false`: the
    new number is an agent's or a branch's (§4.6)."""

    at: dt.datetime
    phone_false: bool = False
    recorded_at: dt.datetime | None = None


@dataclass
class CallbackState:
    status: str
    round_1_opens_at: dt.datetime | None = None
    round_1_failed_at: dt.datetime | None = None
    round_2_opens_at: dt.datetime | None = None
    round_2_failed_at: dt.datetime | None = None
    manual_opened_at: dt.datetime | None = None
    success_at: dt.datetime | None = None
    success_round: str | None = None
    findings: tuple[str, ...] = ()
    phone_changed: bool = False
    ended_at: dt.datetime | None = None
    last_unsuccessful_at: dt.datetime | None = None
    appointment_at: dt.datetime | None = None
    attempts: int = 0  # every attempt before as_of, counted or not
    counted: list[Attempt] = field(default_factory=list)  # of the open phone round
    flagged: list[tuple[Attempt, str]] = field(default_factory=list)  # (attempt, flag code)

    @property
    def condition_met(self) -> bool:
        """Met by a success (findings are decided elsewhere: rules §4.4), an exemption,
        or for a policy that needs no callback."""
        return self.status in (NOT_REQUIRED, EXEMPTED, SUCCEEDED)


def at_nine(day: dt.date, params: Params = DEFAULT) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(params.first_hour), tzinfo=SHANGHAI)


def slot_of(moment: dt.datetime, params: Params = DEFAULT) -> str | None:
    hour = moment.astimezone(SHANGHAI).hour
    return next((name for start, end, name in params.slots if start <= hour < end), None)


def in_hours(moment: dt.datetime, params: Params = DEFAULT) -> bool:
    local = moment.astimezone(SHANGHAI)
    return params.first_hour <= local.hour < params.last_hour


def round_1_opens_at(policy: Policy, params: Params = DEFAULT) -> dt.datetime:
    """Printed + 10 days, 09:00; an approved early callback moves it earlier (§4.1.1)."""
    opens = policy.printed_on + dt.timedelta(days=params.opens_after_printed_days)
    if policy.early_from is not None:
        opens = min(opens, policy.early_from)
    return at_nine(opens, params)


def callback_state(policy: Policy, attempts: list[Attempt], updates: list,
                   as_of: dt.datetime, params: Params = DEFAULT,
                   known_at: dt.datetime | None = None) -> CallbackState:
    """Where the callback stood at `as_of` (facts with earlier timestamps only; with
    `known_at`, only those recorded by then)."""
    if not policy.long_term:
        return CallbackState(NOT_REQUIRED)
    if policy.exempted_on is not None and at_nine(policy.exempted_on, params) <= as_of:
        return CallbackState(EXEMPTED)
    known = (lambda f: True) if known_at is None else (
        lambda f: f.recorded_at is None or f.recorded_at <= known_at)
    updates = sorted((u if isinstance(u, Update) else Update(u) for u in updates), key=_at)
    updates = [u for u in updates if u.at < as_of and known(u)]
    state = CallbackState(WAITING, round_1_opens_at=round_1_opens_at(policy, params))
    phone = _PhoneHistory(policy.phone_false, updates)
    for attempt in sorted((a for a in attempts if a.at < as_of and known(a)), key=_at):
        _advance_by_time(state, attempt.at, updates, phone, params)
        state.attempts += 1
        _apply(state, attempt, params)
    _advance_by_time(state, as_of, updates, phone, params)
    return state


def _at(fact) -> dt.datetime:
    return fact.at


class _PhoneHistory:
    """Is the number on file an agent's or a branch's, and since when (§4.6)."""

    def __init__(self, initially_false: bool, updates: list[Update]):
        self.changes = [(None, initially_false)] + [(u.at, u.phone_false) for u in updates]

    def first_false(self, start: dt.datetime, end: dt.datetime) -> dt.datetime | None:
        """The first moment in [start, end] at which the number on file was false."""
        current = self.changes[0][1]
        for at, is_false in self.changes[1:]:
            if at <= start:
                current = is_false
        if current:
            return start
        return next((at for at, is_false in self.changes[1:]
                     if start < at <= end and is_false), None)


def _advance_by_time(state: CallbackState, moment: dt.datetime, updates: list[Update],
                     phone: _PhoneHistory, params: Params) -> None:
    """Rounds open with time (round 1 on its day, round 2 after an update or 10 days); an
    open phone round fails at once while the number on file is an agent's or a branch's
    (§4.6); a round never fails by the passing of time alone (§4.2)."""
    for _ in range(4):  # at most: open 1, fail 1, open 2, fail 2
        before = state.status
        if state.status == WAITING and state.round_1_opens_at <= moment:
            state.status = ROUND_1
        if state.status == AGENT_WINDOW:
            opens = round_2_opens_at(state.round_1_failed_at, updates, params)
            if opens <= moment:
                state.status, state.round_2_opens_at, state.counted = ROUND_2, opens, []
        if state.status in (ROUND_1, ROUND_2):
            opened = state.round_1_opens_at if state.status == ROUND_1 else state.round_2_opens_at
            failed_at = phone.first_false(opened, moment)
            if failed_at is not None:
                _fail_round(state, failed_at)
        if state.status == before:
            return


def round_2_opens_at(round_1_failed_at: dt.datetime, updates: list[Update],
                     params: Params = DEFAULT) -> dt.datetime:
    """The agent's confirmation or update, or 09:00 on the 10th day after the day round 1
    failed, whichever is first (§4.1.3)."""
    deadline = at_nine(round_1_failed_at.astimezone(SHANGHAI).date()
                       + dt.timedelta(days=params.agent_days), params)
    update = next((u.at for u in updates if round_1_failed_at < u.at), None)
    return min(deadline, update) if update is not None else deadline


def _apply(state: CallbackState, attempt: Attempt, params: Params) -> None:
    if state.status in (SUCCEEDED, MANUAL_FAILED):
        state.flagged.append((attempt, AFTER_END))
        return
    open_round = {ROUND_1: "1", ROUND_2: "2", MANUAL: "manual"}.get(state.status)
    if attempt.round != open_round:
        state.flagged.append((attempt, ROUND_NOT_OPEN))
        if attempt.outcome != SUCCESS and attempt.round != "manual":
            state.last_unsuccessful_at = attempt.at
        return
    if attempt.appointment_at is not None:
        state.appointment_at = attempt.appointment_at
    if attempt.round == "manual":
        _manual_verdict(state, attempt)
        return
    _phone_attempt(state, attempt, params)


def _manual_verdict(state: CallbackState, attempt: Attempt) -> None:
    """The manual callback ends in one verdict: success (perhaps with the number found
    changed) or any other outcome, a failure (§4.1.5)."""
    state.ended_at = attempt.at
    if attempt.outcome == SUCCESS:
        state.status, state.success_at, state.success_round = SUCCEEDED, attempt.at, "manual"
        state.findings, state.phone_changed = attempt.findings, attempt.phone_changed
    else:
        state.status = MANUAL_FAILED


def _phone_attempt(state: CallbackState, attempt: Attempt, params: Params) -> None:
    if attempt.outcome == SUCCESS:  # a success outside the hours is still a success
        state.status, state.success_at, state.success_round = (
            SUCCEEDED, attempt.at, attempt.round)
        state.findings, state.ended_at = attempt.findings, attempt.at
        return
    previous, state.last_unsuccessful_at = state.last_unsuccessful_at, attempt.at
    if attempt.outcome in SPECIAL:
        _open_manual(state, attempt.at)
    elif attempt.outcome in NUMBER_PROBLEM or attempt.outcome in REFUSAL:
        _fail_round(state, attempt.at)
    elif not in_hours(attempt.at, params):
        state.flagged.append((attempt, OUTSIDE_HOURS))
    elif previous is not None and attempt.at - previous < dt.timedelta(
            hours=params.spacing_hours):
        state.flagged.append((attempt, TOO_SOON))
    else:
        state.counted.append(attempt)
        if _round_spent(state.counted, params):
            _fail_round(state, attempt.at)


def _round_spent(counted: list[Attempt], params: Params) -> bool:
    """3 counted temporary failures covering 2 days and 2 slots (§4.2, a reading)."""
    days = {a.at.astimezone(SHANGHAI).date() for a in counted}
    slots = {slot_of(a.at, params) for a in counted}
    return (len(counted) >= params.failures_to_fail and len(days) >= params.min_days
            and len(slots) >= params.min_slots)


def _fail_round(state: CallbackState, moment: dt.datetime) -> None:
    if state.status == ROUND_1:
        state.status, state.round_1_failed_at = AGENT_WINDOW, moment
    else:
        state.round_2_failed_at = moment
        _open_manual(state, moment)
    state.counted = []


def _open_manual(state: CallbackState, moment: dt.datetime) -> None:
    state.status, state.manual_opened_at, state.counted = MANUAL, moment, []


def next_call_at(state: CallbackState, params: Params = DEFAULT) -> dt.datetime | None:
    """When the queue may next offer a call of the open phone round: not before it
    opened (or, waiting, will open), 6 hours after the last unsuccessful attempt, not
    before the customer's appointment, and within the hours. None: no phone call is due
    (the agent's window, the manual callback, the end)."""
    if state.status in (WAITING, ROUND_1):
        earliest = state.round_1_opens_at
    elif state.status == ROUND_2:
        earliest = state.round_2_opens_at
    else:
        return None
    if state.last_unsuccessful_at is not None:
        earliest = max(earliest, state.last_unsuccessful_at
                       + dt.timedelta(hours=params.spacing_hours))
    if state.appointment_at is not None:
        earliest = max(earliest, state.appointment_at)
    return within_hours(earliest, params)


def within_hours(moment: dt.datetime, params: Params = DEFAULT) -> dt.datetime:
    """The first moment at or after `moment` within the calling hours."""
    local = moment.astimezone(SHANGHAI)
    if local.hour < params.first_hour:
        return at_nine(local.date(), params)
    if local.hour >= params.last_hour:
        return at_nine(local.date() + dt.timedelta(days=1), params)
    return moment


def may_call_now(state: CallbackState, now: dt.datetime, params: Params = DEFAULT) -> bool:
    """The queue's rule: a phone round is open, its next call is due, and it is calling
    time. (An unsuccessful call made now would count.)"""
    due = next_call_at(state, params)
    return (state.status in (ROUND_1, ROUND_2) and due is not None and due <= now
            and in_hours(now, params))


def cooling_off_ends_at(start: dt.date, days: int) -> dt.datetime:
    """The end of the day `days` after the customer signed the receipt (after printing
    when no signed receipt is known): the callback's legal deadline (§4.8)."""
    return dt.datetime.combine(start + dt.timedelta(days=days + 1), dt.time(),
                               tzinfo=SHANGHAI)
