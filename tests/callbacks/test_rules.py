"""The callback workflow of rules §4.1–4.3 as a pure function: one row per rule, and the
callbacks of ../shared/spec/examples.md."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pinzhi.callbacks.rules import (
    AGENT_WINDOW,
    EXEMPTED,
    MANUAL,
    MANUAL_FAILED,
    NOT_REQUIRED,
    ROUND_1,
    ROUND_2,
    SUCCEEDED,
    WAITING,
    Attempt,
    Policy,
    Update,
    callback_state,
    cooling_off_ends_at,
    may_call_now,
    next_call_at,
)

SH = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=0, minute=0, year=2026):
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def a(month, day, hour, minute, outcome, round_="1", **kw):
    return Attempt(t(month, day, hour, minute), round_, outcome, **kw)


YEAR_END = t(12, 31)


def state(policy, attempts=(), updates=(), as_of=YEAR_END):
    return callback_state(policy, list(attempts), list(updates), as_of)


PRINTED_0202 = Policy(printed_on=dt.date(2026, 2, 2))  # round 1 opens 02-12 09:00


class TestRounds:
    def test_round_1_opens_on_printed_plus_10_days_at_nine(self):
        assert state(PRINTED_0202, as_of=t(2, 12, 8, 59)).status == WAITING
        assert state(PRINTED_0202, as_of=t(2, 12, 9)).status == ROUND_1

    def test_not_long_term_needs_no_callback(self):
        result = state(Policy(printed_on=dt.date(2026, 2, 20), long_term=False))
        assert result.status == NOT_REQUIRED and result.condition_met

    def test_an_approved_exemption_satisfies_the_callback(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2), exempted_on=dt.date(2026, 2, 5))
        assert state(policy).status == EXEMPTED and state(policy).condition_met
        assert state(policy, as_of=t(2, 4)).status == WAITING

    def test_an_early_callback_opens_round_1_on_its_day(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2), early_from=dt.date(2026, 2, 4))
        assert state(policy, as_of=t(2, 4, 9)).status == ROUND_1
        assert state(policy, as_of=t(2, 4, 8)).status == WAITING


class TestAttempts:
    @pytest.mark.parametrize("hour, minute, counted", [
        (8, 59, False), (9, 0, True), (20, 59, True), (21, 0, False),
    ])
    def test_calling_hours_edges(self, hour, minute, counted):
        result = state(PRINTED_0202, [a(2, 12, hour, minute, "no_answer")])
        assert (len(result.counted) == 1) is counted
        assert (len(result.flagged) == 1) is not counted

    def test_six_hours_after_the_previous_unsuccessful_attempt(self):
        result = state(PRINTED_0202, [a(2, 12, 9, 0, "busy"), a(2, 12, 14, 59, "busy"),
                                      a(2, 12, 15, 0, "busy")])
        # 14:59 is too soon after 09:00; 15:00 is too soon after 14:59 (counted or not)
        assert len(result.counted) == 1 and len(result.flagged) == 2

    def test_three_failures_on_one_day_do_not_fail_the_round(self):
        result = state(PRINTED_0202, [a(2, 12, 9, 0, "busy"), a(2, 12, 15, 0, "busy"),
                                      a(2, 13, 9, 0, "busy")])
        assert result.round_1_failed_at == t(2, 13, 9)  # 2 days, 2 slots: failed
        same_slot = state(PRINTED_0202, [a(2, 12, 9, 0, "busy"), a(2, 13, 9, 0, "busy"),
                                         a(2, 14, 9, 0, "busy")])
        assert same_slot.status == ROUND_1  # 3 days but one slot: not yet
        assert same_slot.round_1_failed_at is None

    @pytest.mark.parametrize("outcome", ["empty_number", "wrong_number", "fax",
                                         "agent_or_branch_phone", "refused_self",
                                         "refused_family"])
    def test_a_number_problem_or_a_refusal_fails_the_round_at_once(self, outcome):
        result = state(PRINTED_0202, [a(2, 12, 22, 0, outcome)], as_of=t(2, 14))  # any hour
        assert result.status == AGENT_WINDOW and result.round_1_failed_at == t(2, 12, 22)

    @pytest.mark.parametrize("outcome", ["special_no_callback", "surrendered", "special_policy"])
    def test_a_special_outcome_opens_the_manual_callback(self, outcome):
        assert state(PRINTED_0202, [a(2, 12, 10, 0, outcome)]).status == MANUAL

    def test_a_success_outside_the_hours_is_a_success(self):
        result = state(PRINTED_0202, [a(2, 12, 22, 30, "success")])
        assert result.status == SUCCEEDED and result.condition_met

    def test_attempts_after_the_end_and_for_a_closed_round_are_kept_flagged(self):
        result = state(PRINTED_0202, [a(2, 12, 10, 0, "success"), a(2, 13, 10, 0, "busy"),
                                      a(2, 12, 9, 30, "busy", round_="2")])
        assert result.status == SUCCEEDED
        assert [reason for _, reason in result.flagged] == [
            "round_not_open", "after_end"]

    def test_facts_arrive_in_any_order(self):
        attempts = [a(2, 13, 14, 0, "powered_off"), a(2, 12, 9, 40, "no_answer"),
                    a(2, 12, 19, 10, "busy")]
        assert state(PRINTED_0202, attempts, as_of=t(2, 14)).status == AGENT_WINDOW


class TestAgentWindow:
    failed = [a(2, 13, 11, 0, "empty_number")]

    def test_an_update_on_day_3_opens_round_2_at_once(self):
        result = state(PRINTED_0202, self.failed, updates=[t(2, 16, 18)], as_of=t(2, 16, 18, 1))
        assert result.status == ROUND_2 and result.round_2_opens_at == t(2, 16, 18)

    def test_no_update_opens_round_2_on_the_10th_day_at_nine(self):
        assert state(PRINTED_0202, self.failed, as_of=t(2, 23, 8, 59)).status == AGENT_WINDOW
        result = state(PRINTED_0202, self.failed, as_of=t(2, 23, 9))
        assert result.status == ROUND_2 and result.round_2_opens_at == t(2, 23, 9)

    def test_an_update_before_round_1_failed_does_not_count(self):
        result = state(PRINTED_0202, self.failed, updates=[t(2, 13, 10)], as_of=t(2, 20))
        assert result.status == AGENT_WINDOW

    def test_round_2_failing_opens_the_manual_callback(self):
        result = state(PRINTED_0202, [*self.failed, a(2, 24, 10, 0, "refused_self", "2")])
        assert result.status == MANUAL and result.round_2_failed_at == t(2, 24, 10)


class TestExamplesMd:
    """The callbacks of ../shared/spec/examples.md, as of the settlement cutoffs."""

    def test_e3_round_1_fails_agent_updates_round_2_succeeds(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2))
        attempts = [a(2, 12, 9, 40, "no_answer"), a(2, 12, 19, 10, "busy"),
                    a(2, 13, 14, 0, "powered_off"), a(2, 17, 10, 0, "success", "2")]
        result = state(policy, attempts, updates=[t(2, 16, 18)], as_of=t(2, 20))
        assert result.status == SUCCEEDED and result.success_round == "2"
        assert result.round_1_failed_at == t(2, 13, 14)

    def test_e4_manual_success_with_the_phone_changed_after_the_cutoff(self):
        policy = Policy(printed_on=dt.date(2026, 2, 3))
        attempts = [a(2, 13, 11, 0, "empty_number"), a(2, 24, 10, 0, "refused_self", "2"),
                    a(3, 20, 10, 0, "success", "manual", phone_changed=True)]
        assert state(policy, attempts, as_of=t(2, 20)).status == AGENT_WINDOW
        assert state(policy, attempts, as_of=t(3, 20)).status == MANUAL  # 10:00 is after
        april = state(policy, attempts, as_of=t(4, 20))
        assert april.status == SUCCEEDED and april.phone_changed

    def test_e5_manual_verdict_no_answer_is_a_failure(self):
        policy = Policy(printed_on=dt.date(2026, 1, 20))
        attempts = [a(1, 30, 11, 0, "wrong_number"), a(2, 10, 11, 0, "suspended", "2"),
                    a(2, 16, 15, 0, "no_answer", "manual")]
        assert state(policy, attempts, as_of=t(2, 20)).status == MANUAL_FAILED

    def test_e8_three_attempts_two_days_then_refusal_then_manual(self):
        policy = Policy(printed_on=dt.date(2026, 1, 12))
        attempts = [a(1, 23, 10, 38, "busy"), a(1, 23, 19, 58, "busy"),
                    a(1, 25, 14, 4, "not_present"), a(2, 6, 11, 47, "refused_self", "2"),
                    a(2, 9, 15, 0, "success", "manual", phone_changed=True)]
        result = state(policy, attempts, as_of=t(2, 20))
        assert result.round_1_failed_at == t(1, 25, 14, 4)
        assert result.status == SUCCEEDED and result.phone_changed

    def test_e10_an_attempt_outside_the_hours_never_counts(self):
        policy = Policy(printed_on=dt.date(2026, 3, 1))
        attempts = [a(3, 11, 9, 30, "no_answer"), a(3, 11, 22, 30, "no_answer"),
                    a(3, 12, 19, 0, "busy"), a(4, 20, 9, 5, "success")]
        march = state(policy, attempts, as_of=t(3, 20))
        assert march.status == ROUND_1 and len(march.counted) == 2
        assert [r for _, r in march.flagged] == ["outside_hours"]
        assert state(policy, attempts, as_of=t(4, 20)).status == ROUND_1  # 09:05 is after
        assert state(policy, attempts, as_of=t(5, 20)).status == SUCCEEDED

    def test_e12_special_outcome_then_manual_success(self):
        policy = Policy(printed_on=dt.date(2026, 2, 23))
        attempts = [a(3, 5, 11, 0, "special_no_callback"),
                    a(3, 26, 16, 0, "success", "manual")]
        assert state(policy, attempts, as_of=t(3, 20)).status == MANUAL
        assert state(policy, attempts, as_of=t(4, 20)).status == SUCCEEDED


@pytest.mark.parametrize("attempts, expected", [
    ([], t(2, 12, 9)),  # the round's opening
    ([a(2, 12, 9, 30, "busy")], t(2, 12, 15, 30)),  # 6 hours on
    ([a(2, 12, 16, 0, "busy")], t(2, 13, 9)),  # 22:00 is past the hours: next morning
])
def test_next_call_at(attempts, expected):
    assert next_call_at(state(PRINTED_0202, attempts, as_of=t(2, 12, 20))) == expected


class TestFalseNumbers:
    """§4.6: the number on file is an agent's or a branch's: a number problem."""

    def test_a_false_number_at_signing_fails_round_1_when_it_opens(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2), phone_false=True)
        result = state(policy, as_of=t(2, 13))
        assert result.status == AGENT_WINDOW and result.round_1_failed_at == t(2, 12, 9)

    def test_the_agents_true_number_opens_round_2_at_once(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2), phone_false=True)
        result = state(policy, updates=[Update(t(2, 14, 10))], as_of=t(2, 15))
        assert result.status == ROUND_2 and result.round_2_opens_at == t(2, 14, 10)

    def test_a_false_number_given_while_round_2_is_open_fails_it(self):
        policy = Policy(printed_on=dt.date(2026, 2, 2))
        updates = [Update(t(2, 14, 10)), Update(t(2, 15, 10), phone_false=True)]
        result = state(policy, [a(2, 13, 11, 0, "empty_number")], updates, as_of=t(2, 16))
        assert result.status == MANUAL and result.round_2_failed_at == t(2, 15, 10)


class TestWhatWasKnown:
    def test_a_fact_recorded_after_known_at_is_not_seen(self):
        late = Attempt(t(2, 12, 10), "1", "success", recorded_at=t(2, 25))
        assert callback_state(PRINTED_0202, [late], [], t(2, 22)).status == SUCCEEDED
        seen_then = callback_state(PRINTED_0202, [late], [], t(2, 22), known_at=t(2, 20))
        assert seen_then.status == ROUND_1


class TestTheQueueRule:
    def test_an_appointment_moves_the_next_call(self):
        asked = a(2, 12, 10, 0, "inconvenient", appointment_at=t(2, 12, 19, 30))
        result = state(PRINTED_0202, [asked], as_of=t(2, 12, 17))
        assert next_call_at(result) == t(2, 12, 19, 30)
        assert not may_call_now(result, t(2, 12, 17))
        assert may_call_now(result, t(2, 12, 19, 30))

    @pytest.mark.parametrize("now, allowed", [
        (t(2, 12, 8, 59), False),  # round 1 is not open yet
        (t(2, 12, 9, 0), True),
        (t(2, 12, 20, 59), True),
        (t(2, 12, 21, 0), False),  # past the hours
    ])
    def test_calls_only_in_an_open_round_within_the_hours(self, now, allowed):
        assert may_call_now(state(PRINTED_0202, as_of=now), now) is allowed

    def test_no_call_in_the_agents_window(self):
        result = state(PRINTED_0202, [a(2, 12, 10, 0, "wrong_number")], as_of=t(2, 13, 10))
        assert not may_call_now(result, t(2, 13, 10)) and next_call_at(result) is None


@pytest.mark.parametrize("start, days, ends", [
    (dt.date(2026, 2, 10), 15, t(2, 26)),  # the end of 02-25
    (dt.date(2026, 12, 20), 15, t(1, 5, year=2027)),
])
def test_the_cooling_off_period_ends_at_the_end_of_its_last_day(start, days, ends):
    assert cooling_off_ends_at(start, days) == ends
