"""Properties of the callback rules over random attempt histories (Hypothesis).

Whatever the facts: the state is one the spec allows, with the moments that state needs;
time only moves a callback forward; and the queue never offers a call that the rules
would not count (rules §4.1–4.2).
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pinzhi.callbacks import rules
from pinzhi.callbacks.rules import Attempt, Policy, Update, callback_state, may_call_now

SH = rules.SHANGHAI
PRINTED = dt.date(2026, 3, 2)
START = dt.datetime(2026, 3, 10, 0, 0, tzinfo=SH)  # round 1 opens 03-12 09:00
OUTCOMES = sorted(rules.OUTCOMES)
RANK = {rules.WAITING: 0, rules.ROUND_1: 1, rules.AGENT_WINDOW: 2, rules.ROUND_2: 3,
        rules.MANUAL: 4, rules.SUCCEEDED: 5, rules.MANUAL_FAILED: 5}

moments = st.integers(min_value=0, max_value=60 * 24 * 40).map(
    lambda minutes: START + dt.timedelta(minutes=minutes))
# Temporary failures dominate, as on a real call floor.
outcomes = st.one_of(st.sampled_from(sorted(rules.TEMPORARY)), st.sampled_from(OUTCOMES))
attempts = st.lists(st.builds(Attempt, at=moments, round=st.sampled_from(["1", "2", "manual"]),
                              outcome=outcomes, findings=st.just(()),
                              phone_changed=st.booleans(), recorded_at=st.none(),
                              appointment_at=st.one_of(st.none(), moments), id=st.none()),
                    max_size=12, unique_by=lambda a: (a.round, a.at))
updates = st.lists(st.builds(Update, at=moments, phone_false=st.booleans(),
                             recorded_at=st.none()), max_size=3)
policies = st.builds(Policy, printed_on=st.just(PRINTED), long_term=st.just(True),
                     early_from=st.one_of(st.none(), st.just(dt.date(2026, 3, 5))),
                     exempted_on=st.none(), phone_false=st.booleans())


def _moments_of(state) -> None:
    """The moments each state needs are there, in order."""
    assert state.status in rules.STATUSES
    if state.status in (rules.AGENT_WINDOW, rules.ROUND_2):
        assert state.round_1_failed_at is not None
    if state.status == rules.ROUND_2:
        assert state.round_2_opens_at > state.round_1_failed_at
    if state.status == rules.MANUAL:
        assert state.manual_opened_at is not None
    if state.status == rules.SUCCEEDED:
        assert state.success_at is not None and state.ended_at == state.success_at
    if state.status == rules.MANUAL_FAILED:
        assert state.manual_opened_at is not None and state.ended_at is not None


@settings(max_examples=300, deadline=None)
@given(policies, attempts, updates, moments)
def test_the_state_is_always_one_the_spec_allows(policy, history, changes, as_of):
    state = callback_state(policy, history, changes, as_of)
    _moments_of(state)
    for counted in state.counted:  # counted failures are compliant ones
        assert rules.in_hours(counted.at) and counted.outcome in rules.TEMPORARY
    assert state.attempts == sum(1 for a in history if a.at < as_of)


@settings(max_examples=200, deadline=None)
@given(policies, attempts, updates, moments, moments)
def test_time_only_moves_a_callback_forward(policy, history, changes, first, second):
    early, late = sorted((first, second))
    before = callback_state(policy, history, changes, early)
    after = callback_state(policy, history, changes, late)
    assert RANK[after.status] >= RANK[before.status]


@settings(max_examples=300, deadline=None)
@given(policies, attempts, updates, moments)
def test_the_queue_never_offers_a_call_the_rules_would_not_count(policy, history, changes,
                                                                  now):
    state = callback_state(policy, history, changes, now)
    if not may_call_now(state, now):
        return
    assert rules.in_hours(now)
    open_round = "1" if state.status == rules.ROUND_1 else "2"
    if any(a.at == now and a.round == open_round for a in history):
        return  # the key is taken: a second attempt cannot be recorded at that moment
    # What is known at `now` (no other fact arrives at the very same instant):
    known = [a for a in history if a.at < now]
    known_changes = [u for u in changes if u.at < now]
    call = Attempt(at=now, round=open_round, outcome="no_answer")
    after = callback_state(policy, [*known, call], known_changes,
                           now + dt.timedelta(seconds=1))
    assert call not in [a for a, _flag in after.flagged]


@settings(max_examples=100, deadline=None)
@given(policies, attempts, updates, moments, st.randoms())
def test_the_order_facts_arrive_in_does_not_matter(policy, history, changes, as_of, rnd):
    shuffled = list(history)
    rnd.shuffle(shuffled)
    assert callback_state(policy, shuffled, changes, as_of).status == \
        callback_state(policy, history, changes, as_of).status
