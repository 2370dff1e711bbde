"""GET /api/v1/policies/{policy_no}/callback/: the stored state, a past state derived from
the facts (`as_of`, `known_at`), and the user's scope (rules §4, §9)."""

import datetime as dt

import pytest

from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.services import contact_update_record

from .conftest import at, call, t, url


def get(client, policy_no, **params):
    response = client.get(url(policy_no), params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def round_1_failed(company, e1):
    """Three counted temporary failures over 2 days and 3 slots, one too soon."""
    op = company.users.operator
    call(e1, op, t(2, 11, 9, 30), "no_answer")
    call(e1, op, t(2, 11, 11), "busy")  # 1.5 hours after: kept, not counted
    call(e1, op, t(2, 11, 19), "hung_up")
    call(e1, op, t(2, 12, 14), "powered_off")
    return e1


def test_the_stored_state_after_attempts(api_as, round_1_failed):
    body = get(api_as("officer"), "E1")
    assert body["source"] == "stored" and body["as_of"] is None
    assert body["status"] == "agent_window" and body["status_label"]
    assert body["open_round"] is None and body["next_call_at"] is None
    assert body["round_1_opens_at"] == "2026-02-11T09:00:00+08:00"
    assert body["round_1_failed_at"] == "2026-02-12T14:00:00+08:00"
    assert body["round_2_opens_at"] == "2026-02-22T09:00:00+08:00"  # at the latest
    assert body["deadline_at"] == "2026-02-17T00:00:00+08:00"
    assert body["manual_opened_at"] is None and body["success_at"] is None
    assert body["attempt_count"] == 4
    assert [(a["round"], a["attempted_at"], a["outcome"], a["flag"], a["counted"])
            for a in body["attempts"]] == [
        ("1", "2026-02-11T09:30:00+08:00", "no_answer", "", True),
        ("1", "2026-02-11T11:00:00+08:00", "busy", "too_soon", False),
        ("1", "2026-02-11T19:00:00+08:00", "hung_up", "", True),
        ("1", "2026-02-12T14:00:00+08:00", "powered_off", "", True),
    ]
    assert body["attempts"][0]["findings"] == [] and body["attempts"][0]["inbound"] is False
    assert body["findings"] == [] and body["findings_undecided"] is False
    assert body["condition_met"] is False and body["phone_false"] is False
    assert body["late"] is True  # open, and 2026-02-17 has passed


def test_the_phone_is_masked(api_as, round_1_failed):
    response = api_as("operator").get(url("E1"))
    assert response.json()["phone_masked"] == "139****5678"
    assert b"13912345678" not in response.content


def test_the_agent_confirms_and_round_2_opens(company, api_as, round_1_failed):
    with at(t(2, 16, 18)):
        contact_update_record(policy=round_1_failed, phone="13912345678",
                              by=company.users.agent)
    body = get(api_as("agent"), "E1")
    assert body["status"] == "round_2" and body["open_round"] == "2"
    assert body["round_2_opens_at"] == "2026-02-16T18:00:00+08:00"
    assert body["next_call_at"] == "2026-02-16T18:00:00+08:00"


def test_as_of_derives_the_state_of_a_past_moment(company, api_as, e1):
    call(e1, company.users.operator, t(2, 12, 10), "empty_number")
    client = api_as("officer")
    before = get(client, "E1", as_of="2026-02-12T09:00:00+08:00")
    assert before["source"] == "derived" and before["status"] == "round_1"
    assert before["as_of"] == "2026-02-12T09:00:00+08:00"
    assert before["open_round"] == "1" and before["attempts"] == []
    assert before["attempt_count"] == 0
    assert before["next_call_at"] == "2026-02-11T09:00:00+08:00"
    after = get(client, "E1", as_of="2026-02-13")  # a date alone: its 00:00
    assert after["status"] == "agent_window" and after["as_of"] == "2026-02-13T00:00:00+08:00"
    assert after["round_1_failed_at"] == "2026-02-12T10:00:00+08:00"
    assert after["round_2_opens_at"] == "2026-02-22T09:00:00+08:00"
    assert [(a["outcome"], a["counted"]) for a in after["attempts"]] == [
        ("empty_number", True)]
    # Without an offset, Beijing time.
    assert get(client, "E1", as_of="2026-02-12T09:59")["status"] == "round_1"
    assert get(client, "E1", as_of="2026-02-12T10:01")["status"] == "agent_window"


def test_as_of_reads_the_facts_not_the_stored_row(company, api_as, e1):
    call(e1, company.users.operator, t(2, 12, 10), "empty_number")
    with at(t(2, 23, 10)):
        evaluate(as_of=t(2, 23, 10))
    client = api_as("officer")
    assert get(client, "E1")["status"] == "round_2"
    assert get(client, "E1", as_of="2026-02-13T00:00:00+08:00")["status"] == "agent_window"
    assert get(client, "E1", as_of="2026-02-10T12:00:00+08:00")["status"] == "waiting"


def test_known_at_leaves_out_facts_recorded_later(company, api_as, e1):
    # Made on the 12th, reported on the 14th.
    call(e1, company.users.operator, t(2, 12, 10), "empty_number", recorded=t(2, 14, 9))
    client = api_as("officer")
    then = get(client, "E1", as_of="2026-02-13T00:00:00+08:00",
               known_at="2026-02-13T00:00:00+08:00")
    assert then["status"] == "round_1" and then["attempts"] == []
    assert then["known_at"] == "2026-02-13T00:00:00+08:00"
    later = get(client, "E1", as_of="2026-02-13T00:00:00+08:00",
                known_at="2026-02-14T10:00:00+08:00")
    assert later["status"] == "agent_window" and len(later["attempts"]) == 1


def test_late_is_judged_at_as_of(api_as, e1):
    client = api_as("officer")
    assert get(client, "E1", as_of="2026-02-16T12:00")["late"] is False
    assert get(client, "E1", as_of="2026-02-17T00:01")["late"] is True


@pytest.mark.parametrize("name", ["as_of", "known_at"])
def test_a_malformed_moment_is_a_400_naming_it(api_as, e1, name):
    response = api_as("officer").get(url("E1"), {name: "yesterday"})
    assert response.status_code == 400
    assert name in response.json()


def test_a_policy_without_a_stored_state_is_computed_now(api_as, company):
    body = get(api_as("officer"), "P2")  # not long-term: no callback needed
    assert body["source"] == "derived" and body["status"] == "not_required"
    assert body["condition_met"] is True and body["deadline_at"] is None
    assert body["late"] is False
    # P1 printed 2026-03-02: round 1 opens 03-12 09:00, and nothing was recorded.
    with at(t(3, 12, 10)):
        body = get(api_as("officer"), "P1")
    assert body["status"] == "round_1" and body["as_of"] == "2026-03-12T10:00:00+08:00"


@pytest.mark.parametrize("username, expected", [
    ("officer", 200), ("operator", 200), ("hq", 200), ("manager", 200), ("agent", 200),
    ("officer_sz", 404), ("agent3", 404),
])
def test_outside_the_scope_is_404(api_as, e1, username, expected):
    assert api_as(username).get(url("E1")).status_code == expected


def test_unknown_and_voided_policies_are_404(api_as, e1):
    client = api_as("admin")
    assert client.get(url("NOPE")).status_code == 404
    e1.voided_at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    e1.save(update_fields=["voided_at"])
    assert client.get(url("E1")).status_code == 404


def test_anonymous_is_refused(api, e1):
    assert api.get(url("E1")).status_code in (401, 403)
