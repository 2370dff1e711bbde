"""The call screen: the full phone shown and its view logged, the script and the outcome
recorded through services.attempt_record, refusals shown (rules §4.2–4.5, §9)."""

import datetime as dt

import pytest
from django.urls import reverse

from pinzhi.accounts.models import Role, User
from pinzhi.callbacks import rules
from pinzhi.callbacks.models import CallbackAttempt, CallbackStatus, CallLock
from pinzhi.callbacks.services import call_open, contact_update_record, script_for
from pinzhi.core.models import Event
from pinzhi.quality.models import Case

from .conftest import NOW, SH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def url(policy_no="P1"):
    return reverse("callbacks-call", args=[policy_no])


def answers(policy, **overrides):
    """Every question of the policy's script answered yes, but for `overrides`."""
    data = {f"q_{q.code}": "yes" for q in script_for(policy)}
    data.update({f"q_{code}": value for code, value in overrides.items()})
    return data


def test_the_screen_shows_the_full_phone_and_logs_the_view(calls, as_user):
    client = as_user(calls.users.operator)
    response = client.get(url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-phone="13912345678"' in html and "陈静" in html
    event = Event.objects.get(action="unmask", kind="policy", key="P1")
    assert event.actor == calls.users.operator
    assert event.data == {"field": "applicant_phone", "via": "call screen"}
    lock = CallLock.objects.get(policy=calls.policies["P1"])
    assert lock.operator == calls.users.operator
    # the script of a traditional regular-premium policy, and the grouped outcomes
    for code in ("identity", "signed_personally", "coverage", "payment_terms"):
        assert f'id="q_{code}-no"' in html
    assert 'id="q_investment_risk-no"' not in html
    assert html.count("<optgroup") == 5 and 'value="refused_family"' in html


def test_a_changed_phone_is_shown_and_its_view_logged_too(calls, as_user):
    contact_update_record(policy=calls.policies["P1"], phone="13700001111",
                          by=calls.users.agent, at=NOW - dt.timedelta(hours=1))
    html = as_user(calls.users.operator).get(url()).content.decode()
    assert 'data-phone="13700001111"' in html and 'id="policy-phone"' in html
    fields = set(Event.objects.filter(action="unmask", key="P1")
                 .values_list("data__field", flat=True))
    assert fields == {"applicant_phone", "current_phone"}


def test_success_with_a_forged_signature_drafts_a_case(calls, as_user):
    client = as_user(calls.users.operator)
    client.get(url())
    policy = calls.policies["P1"]
    data = answers(policy, signed_personally="no") | {"satisfaction": "2", "outcome": "success",
                                                      "note": "客户称由业务员代签"}
    response = client.post(url(), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("callbacks-queue")
    html = response.content.decode()
    assert "Recorded for policy P1: success." in html and "draft case" in html
    attempt = CallbackAttempt.objects.get(policy=policy)
    assert (attempt.outcome, attempt.findings, attempt.satisfaction) == (
        "success", "forged_signature", 2)
    assert attempt.answers["signed_personally"] == "no"
    assert attempt.recorded_by == calls.users.operator and attempt.round == "1"
    case = Case.objects.get(policy=policy, type__code="forged_signature")
    assert case.status == "draft" and case.agent == calls.agents["A001"]
    status = CallbackStatus.objects.get(policy=policy)
    assert status.status == rules.SUCCEEDED and status.findings_undecided
    assert not CallLock.objects.filter(policy=policy).exists()
    assert 'data-policy="P1"' not in html  # no longer in the queue


def test_a_success_needs_every_answer_and_the_satisfaction(calls, as_user):
    client = as_user(calls.users.operator)
    data = answers(calls.policies["P1"]) | {"outcome": "success"}
    del data["q_coverage"]
    response = client.post(url(), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Answer this question." in html and "Give the customer&#x27;s satisfaction." in html
    assert 'id="q_identity-yes" value="yes" checked' in html  # the answers kept
    assert not CallbackAttempt.objects.exists() and not Case.objects.exists()


def test_an_unsuccessful_outcome_needs_no_answers(calls, as_user):
    client = as_user(calls.users.operator)
    client.get(url())
    appointment = dt.datetime(2026, 3, 12, 19, 0, tzinfo=SH)
    response = client.post(url(), {"outcome": "no_answer", "note": "无人接听",
                                    "appointment_at": "2026-03-12T19:00"})
    assert response.status_code == 302 and response["Location"] == reverse("callbacks-queue")
    attempt = CallbackAttempt.objects.get()
    assert (attempt.outcome, attempt.answers, attempt.findings, attempt.satisfaction) == (
        "no_answer", {}, "", None)
    assert attempt.appointment_at == appointment and attempt.attempted_at == NOW
    status = CallbackStatus.objects.get(policy=calls.policies["P1"])
    assert status.status == rules.ROUND_1 and status.attempts == 1
    assert status.next_call_at == appointment  # later than the 6 hours' spacing (16:00)
    assert not CallLock.objects.exists()


def test_answers_of_a_failed_call_are_not_recorded(calls, as_user):
    client = as_user(calls.users.operator)
    data = answers(calls.policies["P1"], signed_personally="no") | {"outcome": "hung_up",
                                                                    "satisfaction": "1"}
    assert client.post(url(), data).status_code == 302
    attempt = CallbackAttempt.objects.get()
    assert (attempt.answers, attempt.findings, attempt.satisfaction) == ({}, "", None)
    assert not Case.objects.exists()


def test_inbound_and_a_refusal_outcome(calls, as_user):
    client = as_user(calls.users.operator)
    client.post(url(), {"outcome": "refused_self", "inbound": "on"})
    attempt = CallbackAttempt.objects.get()
    assert attempt.inbound and attempt.outcome == "refused_self"
    assert CallbackStatus.objects.get(policy=attempt.policy).status == rules.AGENT_WINDOW


def test_a_refused_call_goes_back_to_the_queue_with_the_message(calls, as_user):
    client = as_user(calls.users.operator)
    response = client.get(url("P2"), follow=True)  # a one-year product: no callback
    assert response.redirect_chain[-1][0] == reverse("callbacks-queue")
    assert "policy P2 may not be called now" in response.content.decode()
    assert not CallLock.objects.exists()
    assert not Event.objects.filter(action="unmask").exists()  # the phone was not shown


def test_a_policy_another_operator_calls_is_refused(calls, as_user):
    other = User.objects.create_user("operator2", role=Role.OPERATOR, unit=calls.units["GD"])
    call_open(policy=calls.policies["P1"], operator=other, now=NOW)
    client = as_user(calls.users.operator)
    response = client.get(url(), follow=True)
    assert "operator2 is calling policy P1" in response.content.decode()
    # nor may he record over the other operator's call
    response = client.post(url(), {"outcome": "no_answer"})
    assert response.status_code == 200
    assert "operator2 is calling policy P1" in response.content.decode()
    assert not CallbackAttempt.objects.exists()


def test_a_refused_attempt_keeps_the_form(calls, as_user):
    client = as_user(calls.users.operator)
    client.get(url())
    response = client.post(url(), {"outcome": "busy", "note": "稍后再打",
                                   "appointment_at": "2026-03-12T09:30"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="form-errors"' in html
    assert "the appointment must be after the call" in html
    assert "稍后再打" in html and 'value="busy" selected' in html
    assert not CallbackAttempt.objects.exists()


def test_a_policy_outside_the_scope_is_not_found(calls, as_user):
    assert as_user(calls.users.officer).get(url("P4")).status_code == 404  # T3 is SZ's
    assert not CallLock.objects.exists()


def test_release_gives_the_policy_back(calls, as_user):
    client = as_user(calls.users.operator)
    client.get(url())
    assert CallLock.objects.exists()
    response = client.post(reverse("callbacks-release", args=["P1"]), follow=True)
    assert "Policy P1 is back in the queue." in response.content.decode()
    assert not CallLock.objects.exists()


def test_the_attempts_are_listed_with_their_flags(calls, as_user, clock):
    client = as_user(calls.users.operator)
    client.post(url(), {"outcome": "no_answer"})
    clock.move_to(dt.datetime(2026, 3, 12, 16, 30, tzinfo=SH))
    client = as_user(calls.users.operator)  # hours later: an idle session has ended
    html = client.get(url()).content.decode()
    attempt = CallbackAttempt.objects.get()
    assert f'id="attempt-{attempt.pk}" data-outcome="no_answer" data-flag=""' in html
    assert 'id="call-attempts">1<' in html


def test_a_customer_calling_in_is_taken_even_before_the_spacing_allows_our_call(
        calls, as_user, clock):
    client = as_user(calls.users.operator)
    client.post(url(), {"outcome": "no_answer"})  # 10:00: our next call only at 16:00
    clock.shift(dt.timedelta(hours=1))
    client = as_user(calls.users.operator)  # an hour later: an idle session has ended
    refused = client.get(url(), follow=True)
    assert "may not be called now" in refused.content.decode()
    page = client.get(reverse("callbacks-inbound"), {"policy_no": "P1"}, follow=True)
    assert page.redirect_chain[-1][0] == url() + "?inbound=1"
    assert 'name="inbound"' in page.content.decode() and "checked" in page.content.decode()
    data = answers(calls.policies["P1"]) | {"outcome": "success", "satisfaction": "5",
                                            "inbound": "on"}
    assert client.post(url(), data).status_code == 302
    inbound = CallbackAttempt.objects.get(inbound=True)
    assert inbound.outcome == "success"
    assert CallbackStatus.objects.get(policy=calls.policies["P1"]).status == rules.SUCCEEDED
