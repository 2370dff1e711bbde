"""The callback workflow against the database: services, evaluation, effects (rules §4)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from pinzhi.callbacks import rules
from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.models import CallbackAttempt, CallbackStatus, ManualCallback
from pinzhi.callbacks.services import (
    CallbackRefused,
    attempt_record,
    contact_update_record,
    current_state,
    request_add,
    request_approve,
)
from pinzhi.notify.models import Message
from pinzhi.quality.models import Case, CaseStatus
from pinzhi.quality.services import case_confirm
from tests.factories import make_policy

SH = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"
    return settings.PINZHI_MESSAGE_LOG


@pytest.fixture
def e3(company):
    """E3: TRAD10 printed 02-01."""
    return make_policy("E3", company.agents["A001"], company.products["TRAD10"],
                       signed_on=dt.date(2026, 2, 1), printed_on=dt.date(2026, 2, 1),
                       effective_on=dt.date(2026, 2, 2))


def call(policy, by, when, outcome, **kw):
    """An attempt recorded the moment it was made (the clock stands at `when`), and
    committed: agents are told of what it changed once it is."""
    with time_machine.travel(when + dt.timedelta(seconds=30), tick=False), \
            TestCase.captureOnCommitCallbacks(execute=True):
        return attempt_record(policy=policy, by=by, outcome=outcome, at=when, **kw)


def at(when):
    return time_machine.travel(when, tick=False)


def test_e3_round_1_fails_the_agent_updates_round_2_succeeds(company, e3, message_log):
    op = company.users.operator
    call(e3, op, t(2, 12, 9, 40), "no_answer")
    call(e3, op, t(2, 12, 19, 10), "busy")
    call(e3, op, t(2, 13, 14, 0), "powered_off")
    status = CallbackStatus.objects.get(policy=e3)
    assert status.status == rules.AGENT_WINDOW
    assert status.round_1_failed_at == t(2, 13, 14)
    told = Message.objects.get(policy=e3, kind="callback_round_1_failed")
    assert told.agent == company.agents["A001"] and told.told_at is not None
    assert "E3" in message_log.read_text(encoding="utf-8")

    with at(t(2, 16, 18)):  # confirming the same number counts
        contact_update_record(policy=e3, phone="13912345678", by=company.users.agent)
    assert CallbackStatus.objects.get(policy=e3).status == rules.ROUND_2
    call(e3, op, t(2, 17, 10), "success", satisfaction=5)
    status = CallbackStatus.objects.get(policy=e3)
    assert status.status == rules.SUCCEEDED and status.condition_met
    assert status.attempts == 4


def test_the_state_of_a_past_moment_is_derived_from_the_facts_recorded_then(company, e3):
    op = company.users.operator
    call(e3, op, t(2, 12, 9, 40), "empty_number")
    assert current_state(e3, as_of=t(2, 12, 9)).state.status == rules.ROUND_1
    assert current_state(e3, as_of=t(2, 13)).state.status == rules.AGENT_WINDOW
    assert current_state(e3, as_of=t(2, 23, 9, 1)).state.status == rules.ROUND_2


def test_evaluating_twice_for_one_moment_changes_nothing(company, e3):
    call(e3, company.users.operator, t(2, 12, 9, 40), "empty_number")
    first = evaluate(as_of=t(2, 24))
    again = evaluate(as_of=t(2, 24))
    assert first.policies == 4 + 1 and not first.incremental
    assert again.incremental and again.policies == 4  # P2 needs no callback: ended
    assert again.changed == 0 and again.flags_changed == 0 and again.told == 0
    assert evaluate(as_of=t(2, 24), full=True).changed == 0
    assert CallbackStatus.objects.get(policy=e3).status == rules.ROUND_2


def test_e4_round_2_refused_opens_the_manual_callback_and_its_verdict_closes_it(company):
    policy = make_policy("E4", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 2), printed_on=dt.date(2026, 2, 3),
                         effective_on=dt.date(2026, 2, 3))
    call(policy, company.users.operator, t(2, 13, 11), "empty_number")
    evaluate(as_of=t(2, 23, 10))
    call(policy, company.users.operator, t(2, 24, 10), "refused_self")
    task = ManualCallback.objects.get(policy=policy)
    assert task.opened_at == t(2, 24, 10) and task.due_on == dt.date(2026, 3, 16)
    with pytest.raises(CallbackRefused):  # an operator does not give the verdict
        call(policy, company.users.operator, t(3, 20, 10), "success")
    call(policy, company.users.officer, t(3, 20, 10), "success", method="visit",
         phone_changed=True)
    status = CallbackStatus.objects.get(policy=policy)
    assert status.status == rules.SUCCEEDED and status.phone_changed
    task.refresh_from_db()
    assert task.closed_at == t(3, 20, 10) and task.method == "visit"
    assert Message.objects.filter(policy=policy, kind="callback_round_2_failed").exists()


def test_a_no_on_the_signature_drafts_a_case_and_withholds_until_decided(company, e3):
    answers = {"identity": "yes", "signed_personally": "no", "coverage": "yes"}
    attempt = call(e3, company.users.operator, t(2, 12, 10), "success", answers=answers,
                   satisfaction=2)
    assert attempt.findings == "forged_signature"
    case = Case.objects.get(policy=e3, type__code="forged_signature")
    assert case.status == CaseStatus.DRAFT and case.source == "callback"
    status = CallbackStatus.objects.get(policy=e3)
    assert status.status == rules.SUCCEEDED and status.findings_undecided
    assert not status.condition_met
    case_confirm(case=case, by=company.users.officer)
    evaluate(as_of=t(2, 20))
    assert CallbackStatus.objects.get(policy=e3).condition_met


@pytest.mark.parametrize("phone, false", [
    ("13800000001", True),  # the agent's own phone
    ("13800000003", True),  # another agent's
    ("020-83980000", True),  # the branch's landline
    ("13912345678", False),
])
def test_an_applicant_phone_checked_against_agents_and_landlines(company, phone, false):
    policy = make_policy("F1", company.agents["A001"], company.products["TRAD10"],
                         applicant_phone=phone)
    evaluate(as_of=t(3, 1))
    status = CallbackStatus.objects.get(policy=policy)
    assert status.phone_false is false
    cases = Case.objects.filter(policy=policy, type__code="false_customer_info")
    assert cases.count() == int(false)
    if false:
        assert cases.get().status == CaseStatus.CONFIRMED
        assert cases.get().occurred_on == policy.signed_on


def test_an_agent_insuring_himself_may_give_his_own_phone(company):
    a = company.agents["A003"]
    policy = make_policy("F2", company.agents["A001"], company.products["TRAD10"],
                         applicant_phone=a.phone, applicant_id_number=a.id_number)
    evaluate(as_of=t(3, 1))
    assert not CallbackStatus.objects.get(policy=policy).phone_false
    assert not Case.objects.filter(policy=policy).exists()


def test_the_agent_form_refuses_an_agents_number(company, e3):
    with pytest.raises(CallbackRefused, match="agent's or a branch's"):
        contact_update_record(policy=e3, phone="13800000002", by=company.users.agent)


def test_an_agent_updates_only_his_own_customers(company):
    p4 = company.policies["P4"]
    with pytest.raises(CallbackRefused):
        contact_update_record(policy=p4, phone="13912345670", by=company.users.agent)


def test_an_early_callback_opens_round_1_on_its_day(company, e3):
    request = request_add(policy=e3, kind="early", by=company.users.agent,
                          earliest_on=dt.date(2026, 2, 5), requested_on=dt.date(2026, 2, 2))
    with pytest.raises(CallbackRefused):
        request_approve(request=request, by=company.users.agent)
    with at(t(2, 3, 15)):
        request_approve(request=request, by=company.users.officer)
    assert current_state(e3, as_of=t(2, 5, 9, 1)).state.status == rules.ROUND_1
    call(e3, company.users.operator, t(2, 5, 10), "success", satisfaction=4)
    assert CallbackStatus.objects.get(policy=e3).status == rules.SUCCEEDED


def test_an_approved_exemption_satisfies_the_callback(company, e3):
    request = request_add(policy=e3, kind="exemption", by=company.users.officer,
                          requested_on=dt.date(2026, 2, 3))
    with at(t(2, 4, 15)):
        request_approve(request=request, by=company.users.officer)
    evaluate(as_of=t(2, 5))
    status = CallbackStatus.objects.get(policy=e3)
    assert status.status == rules.EXEMPTED and status.condition_met


def test_a_policy_that_is_not_long_term_needs_no_callback(company):
    evaluate(as_of=t(3, 1))
    status = CallbackStatus.objects.get(policy=company.policies["P2"])
    assert status.status == rules.NOT_REQUIRED and status.condition_met


def test_flags_are_written_back_to_the_attempts(company):
    policy = make_policy("E10", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 28), printed_on=dt.date(2026, 3, 1),
                         effective_on=dt.date(2026, 3, 1))
    call(policy, company.users.operator, t(3, 11, 9, 30), "no_answer")
    call(policy, company.users.operator, t(3, 11, 22, 30), "no_answer")
    flags = dict(CallbackAttempt.objects.filter(policy=policy).values_list("attempted_at",
                                                                            "flag"))
    assert flags == {t(3, 11, 9, 30): "", t(3, 11, 22, 30): "outside_hours"}


def test_the_evaluate_command_moves_time_and_is_idempotent(company, e3, capsys):
    from django.core.management import call_command

    call_command("evaluate", "--as-of", "2026-02-11T10:00:00")
    first = capsys.readouterr().out
    assert "callbacks: evaluated 5 policies as of 2026-02-11T10:00:00+08:00" in first
    assert CallbackStatus.objects.get(policy=e3).status == rules.ROUND_1
    call_command("evaluate", "--as-of", "2026-02-11T10:00:00")
    assert "0 states changed, 0 attempt flags changed" in capsys.readouterr().out


def test_the_evaluate_command_refuses_the_future(company):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="in the future"):
        call_command("evaluate", "--as-of", "2099-01-01T00:00:00")


@pytest.fixture
def in_manual(company):
    """E4's facts: round 2 refused on 02-24, the manual callback open."""
    policy = make_policy("E4", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 2), printed_on=dt.date(2026, 2, 3),
                         effective_on=dt.date(2026, 2, 3))
    call(policy, company.users.operator, t(2, 13, 11), "empty_number")
    call(policy, company.users.operator, t(2, 24, 10), "refused_self")
    return policy


def test_an_exemption_approved_during_the_manual_callback_closes_its_task(company, in_manual):
    request = request_add(policy=in_manual, kind="exemption", by=company.users.officer,
                          requested_on=dt.date(2026, 2, 28))
    with at(t(3, 1, 10)):
        request_approve(request=request, by=company.users.officer)
    assert CallbackStatus.objects.get(policy=in_manual).status == rules.EXEMPTED
    assert ManualCallback.objects.get(policy=in_manual).closed_at is not None


def test_voiding_the_verdict_opens_the_task_again(company, in_manual):
    from pinzhi.core.voiding import void_fact

    call(in_manual, company.users.officer, t(3, 20, 10), "success", method="call")
    assert ManualCallback.objects.get(policy=in_manual).closed_at == t(3, 20, 10)
    void_fact(kind="callback_attempt", key="E4/manual/2026-03-20T10:00:00", reason="wrong")
    assert CallbackStatus.objects.get(policy=in_manual).status == rules.MANUAL
    assert ManualCallback.objects.get(policy=in_manual).closed_at is None


def test_a_manual_callback_opened_and_ended_between_two_runs_gets_its_task(company):
    """A call centre's file can bring the failure and the verdict at once."""
    policy = make_policy("M1", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 2), printed_on=dt.date(2026, 2, 3),
                         effective_on=dt.date(2026, 2, 3))
    attempts = [CallbackAttempt(policy=policy, round=r, attempted_at=when, outcome=o)
                for r, when, o in [("1", t(2, 13, 11), "special_no_callback"),
                                   ("manual", t(2, 20, 10), "success")]]
    CallbackAttempt.objects.bulk_create(attempts)
    evaluate(as_of=t(3, 1))
    task = ManualCallback.objects.get(policy=policy)
    assert task.opened_at == t(2, 13, 11) and task.closed_at == t(2, 20, 10)


class TestIncrementalRuns:
    """A run after a finished one recomputes only what may have changed, and writes what
    a full run would."""

    @pytest.fixture
    def settled(self, company, e3):
        call(e3, company.users.operator, t(2, 12, 10), "success", satisfaction=5)
        evaluate(as_of=t(3, 1), full=True)
        return e3

    def digests(self):
        return dict(CallbackStatus.objects.values_list("policy_id", "digest"))

    def same_as_full(self, as_of):
        incremental = evaluate(as_of=as_of)
        written = self.digests()
        assert evaluate(as_of=as_of, full=True).changed == 0, "the incremental run missed"
        assert self.digests() == written
        return incremental

    def test_an_ended_callback_is_skipped_until_a_fact_of_it_changes(self, company, settled):
        assert settled.pk not in self.candidates_at(t(3, 2))
        CallbackAttempt.objects.create(policy=settled, round="1", attempted_at=t(2, 20, 10),
                                       outcome="busy")  # a late file: after the end
        run = self.same_as_full(t(3, 2))
        assert run.incremental and run.flags_changed == 1

    def test_facts_recorded_earlier_for_a_later_moment_are_seen_when_it_comes(
            self, company, settled):
        CallbackAttempt.objects.create(policy=settled, round="1", attempted_at=t(3, 5, 10),
                                       outcome="busy")
        self.same_as_full(t(3, 2))
        later = self.same_as_full(t(3, 6))
        assert CallbackStatus.objects.get(policy=settled).attempts == 2 and later.changed

    def test_a_decided_finding_is_seen(self, company, e3):
        call(e3, company.users.operator, t(2, 12, 10), "success", satisfaction=1,
             answers={"signed_personally": "no"})
        evaluate(as_of=t(3, 1), full=True)
        case_confirm(case=Case.objects.get(policy=e3), by=company.users.officer)
        self.same_as_full(t(3, 2))
        assert CallbackStatus.objects.get(policy=e3).condition_met

    def test_going_back_in_time_or_a_new_parameter_recomputes_everything(
            self, company, settled):
        from pinzhi.core.models import Parameter

        assert not evaluate(as_of=t(2, 20)).incremental
        evaluate(as_of=t(3, 1))
        Parameter.objects.create(key="callbacks.agent_days", valid_from=dt.date(2026, 1, 1),
                                 value=5)
        assert not evaluate(as_of=t(3, 2)).incremental

    def candidates_at(self, as_of):
        from django.db import connection

        from pinzhi.callbacks import candidates

        last = candidates.since_last_run(as_of)
        candidates.create_table(last=last, as_of=as_of, id_range=None)
        with connection.cursor() as cur:
            cur.execute(f"SELECT id FROM {candidates.TABLE}")
            return {r[0] for r in cur.fetchall()}


def test_the_cooling_off_period_runs_from_the_receipts_signature(company, e3):
    from pinzhi.receipts.models import Receipt

    evaluate(as_of=t(2, 5))
    assert CallbackStatus.objects.get(policy=e3).deadline_at == t(2, 17)  # printed 02-01
    Receipt.objects.create(policy=e3, signed_on=dt.date(2026, 2, 4),
                           collected_on=dt.date(2026, 2, 6))
    run = evaluate(as_of=t(2, 7))
    assert run.incremental and CallbackStatus.objects.get(policy=e3).deadline_at == t(2, 20)
