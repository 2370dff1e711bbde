"""GET /api/v1/callbacks/: the stored states in scope, filtered and paginated."""

import datetime as dt

import pytest

from pinzhi.callbacks.evaluation import evaluate

from .conftest import API, at, call, printed, t

NOW = t(2, 20, 10)
# Default order: nearest cooling-off deadline, then next call, then policy number; the
# policy needing no callback (no deadline) last.
ALL = ["E5", "E1", "E2", "P1", "P3", "P4", "P2"]


@pytest.fixture
def states(company):
    """At 02-20 10:00: E5 (A003, printed 01-20) round 1 and late; E1 (A001) round 1
    failed, late; E2 (A004, SZ) succeeded; P1, P3, P4 waiting; P2 needs no callback."""
    op = company.users.operator
    e5 = printed(company, "E5", "A003", dt.date(2026, 1, 20))
    e1 = printed(company, "E1", "A001", dt.date(2026, 2, 1))
    e2 = printed(company, "E2", "A004", dt.date(2026, 2, 1))
    call(e1, op, t(2, 12, 10), "empty_number")
    call(e2, op, t(2, 11, 10), "success", satisfaction=5)
    with at(NOW):
        evaluate(as_of=NOW)
    return {"E1": e1, "E2": e2, "E5": e5}


def fetch(client, **params):
    with at(NOW):
        return client.get(f"{API}callbacks/", params)


def nos(response):
    assert response.status_code == 200, response.content
    return [row["policy_no"] for row in response.json()["results"]]


def test_rows_in_the_queue_order(api_as, states):
    response = fetch(api_as("operator"))
    assert nos(response) == ALL
    row = response.json()["results"][1]
    assert row == {
        "policy_no": "E1", "agent_code": "A001", "team": "T1", "status": "agent_window",
        "status_label": row["status_label"], "attempts": 1, "next_call_at": None,
        "deadline_at": "2026-02-17T00:00:00+08:00", "condition_met": False, "late": True,
    }
    assert row["status_label"]
    waiting = response.json()["results"][3]
    assert waiting["status"] == "waiting" and waiting["late"] is False
    assert waiting["next_call_at"] == "2026-03-12T09:00:00+08:00"


@pytest.mark.parametrize("params, expected", [
    ({"status": "round_1"}, ["E5"]),
    ({"status": "waiting"}, ["P1", "P3", "P4"]),
    ({"late": "true"}, ["E5", "E1"]),
    ({"late": "false"}, ["E2", "P1", "P3", "P4", "P2"]),
    ({"late": "true", "unit": "GZ"}, ["E5", "E1"]),
    ({"late": "true", "unit": "SZ"}, []),
    ({"unit": "SZ"}, ["E2", "P4"]),
    ({"unit": "T1", "status": "agent_window"}, ["E1"]),
    ({"unit": "NOPE"}, []),
    ({"agent": "A004"}, ["E2", "P4"]),
    ({"condition_met": "true"}, ["E2", "P2"]),
    ({"ordering": "policy_no"}, sorted(ALL)),
    ({"ordering": "-attempts"}, ["E1", "E2", "E5", "P1", "P2", "P3", "P4"]),
])
def test_filters(api_as, states, params, expected):
    assert nos(fetch(api_as("operator"), **params)) == expected


@pytest.mark.parametrize("username, expected", [
    ("hq", ALL),
    ("officer", ["E5", "E1", "P1", "P3", "P2"]),
    ("officer_sz", ["E2", "P4"]),
    ("manager", ["E1", "P1", "P2"]),
    ("agent", ["E1", "P1"]),
])
def test_each_user_sees_his_scope(api_as, states, username, expected):
    assert nos(fetch(api_as(username))) == expected


def test_late_filter_narrows_the_scope_never_widens_it(api_as, states):
    assert nos(fetch(api_as("officer_sz"), late="true")) == []
    assert nos(fetch(api_as("officer_sz"), unit="GZ")) == []


def test_pages(api_as, states):
    body = fetch(api_as("operator"), page_size=2, page=2).json()
    assert body["count"] == len(ALL)
    assert [row["policy_no"] for row in body["results"]] == ALL[2:4]
    assert body["next"] and body["previous"]


@pytest.mark.parametrize("name, value", [
    ("status", "round_3"), ("late", "maybe"), ("condition_met", "yes please"),
])
def test_a_bad_filter_value_is_a_400_naming_it(api_as, states, name, value):
    response = fetch(api_as("operator"), **{name: value})
    assert response.status_code == 400
    assert name in response.json()


def test_voided_policies_are_left_out(api_as, states):
    states["E5"].voided_at = NOW
    states["E5"].save(update_fields=["voided_at"])
    assert nos(fetch(api_as("operator"))) == ALL[1:]


def test_late_follows_the_clock(api_as, states):
    with at(t(2, 6)):  # before E1's deadline, after E5's
        response = api_as("operator").get(f"{API}callbacks/", {"late": "true"})
    assert nos(response) == ["E5"]
