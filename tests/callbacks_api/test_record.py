"""POST /api/v1/policies/{policy_no}/callback/attempts/: operators and quality officers
record attempts (a call centre with an operator's token too); the answer is the new state.
"""

import pytest
from rest_framework.test import APIClient

from pinzhi.accounts.models import ApiToken
from pinzhi.callbacks.models import CallbackAttempt
from pinzhi.quality.models import Case

from .conftest import at, call, t, url


def post(client, policy_no, body, when):
    with at(when):
        return client.post(url(policy_no, "attempts/"), body, format="json")


def test_an_operator_records_an_attempt(api_as, company, e1):
    response = post(api_as("operator"), "E1", {
        "outcome": "no_answer", "attempted_at": "2026-02-11T09:30:00+08:00",
        "note": "rang 10 times"}, t(2, 11, 9, 31))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "stored" and body["status"] == "round_1"
    assert body["attempt_count"] == 1
    assert body["next_call_at"] == "2026-02-11T15:30:00+08:00"  # 6 hours later
    [attempt] = body["attempts"]
    assert attempt["round"] == "1" and attempt["counted"] is True
    stored = CallbackAttempt.objects.get(policy=e1)
    assert stored.recorded_by == company.users.operator and stored.note == "rang 10 times"


def test_the_time_defaults_to_now(api_as, e1):
    response = post(api_as("officer"), "E1", {"outcome": "busy"}, t(2, 11, 10))
    assert response.status_code == 201, response.content
    assert response.json()["attempts"][0]["attempted_at"] == "2026-02-11T10:00:00+08:00"


def test_the_round_fails_on_a_number_problem(api_as, e1):
    response = post(api_as("operator"), "E1", {"outcome": "empty_number"}, t(2, 12, 10))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "agent_window"
    assert body["round_1_failed_at"] == "2026-02-12T10:00:00+08:00"


def test_a_no_in_the_answers_is_a_finding(api_as, e1):
    response = post(api_as("operator"), "E1", {
        "outcome": "success", "answers": {"identity": "yes", "signed_personally": "no"},
        "satisfaction": 4, "inbound": True}, t(2, 11, 10, 5))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "succeeded" and body["success_at"] == "2026-02-11T10:05:00+08:00"
    assert body["findings"] == ["forged_signature"] and body["findings_undecided"] is True
    assert body["condition_met"] is False  # until the case is decided (rules §4.4)
    [attempt] = body["attempts"]
    assert attempt["satisfaction"] == 4 and attempt["inbound"] is True
    assert attempt["findings"] == ["forged_signature"]
    assert Case.objects.filter(policy=e1, type__code="forged_signature").exists()


def test_the_manual_verdict_is_a_quality_officers(api_as, company, e1):
    call(e1, company.users.operator, t(2, 11, 10), "surrendered")  # the manual callback
    verdict = {"outcome": "success", "round": "manual", "method": "visit",
               "phone_changed": True}
    refused = post(api_as("operator"), "E1", verdict, t(2, 25, 10))
    assert refused.status_code == 400
    assert "quality officer" in refused.json()["detail"]
    response = post(api_as("officer"), "E1", verdict, t(2, 25, 10))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "succeeded" and body["phone_changed"] is True
    assert body["attempts"][-1]["method"] == "visit"


def test_no_round_open_is_a_400_with_the_reason(api_as, e1):
    response = post(api_as("operator"), "E1", {"outcome": "no_answer"}, t(2, 5, 10))
    assert response.status_code == 400
    assert response.json() == {"detail": "no callback round of policy E1 is open (waiting)"}
    assert not CallbackAttempt.objects.filter(policy=e1).exists()


def test_the_same_attempt_twice_is_a_400(api_as, e1):
    body = {"outcome": "no_answer", "attempted_at": "2026-02-11T09:30:00+08:00"}
    assert post(api_as("operator"), "E1", body, t(2, 11, 9, 31)).status_code == 201
    again = post(api_as("operator"), "E1", body, t(2, 11, 9, 32))
    assert again.status_code == 400 and "recorded already" in again.json()["detail"]


@pytest.mark.parametrize("body, field", [
    ({"outcome": "maybe"}, "outcome"),
    ({}, "outcome"),
    ({"outcome": "no_answer", "round": "3"}, "round"),
    ({"outcome": "success", "satisfaction": 7}, "satisfaction"),
    ({"outcome": "success", "answers": {"identity": "perhaps"}}, "answers"),
    ({"outcome": "success", "findings": ["rudeness"]}, "findings"),
    ({"outcome": "no_answer", "attempted_at": "2026-02-11T11:00:00+08:00"}, "attempted_at"),
    ({"outcome": "no_answer", "attempted_at": "soon"}, "attempted_at"),
    ({"outcome": "no_answer", "appointment_at": "2026-02-11T09:00:00+08:00"},
     "appointment_at"),
    ({"outcome": "success", "method": "pigeon"}, "method"),
])
def test_a_malformed_body_is_a_400_naming_the_field(api_as, e1, body, field):
    response = post(api_as("operator"), "E1", body, t(2, 11, 10))
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CallbackAttempt.objects.filter(policy=e1).exists()


@pytest.mark.parametrize("username", ["agent", "manager", "system", "clerk", "sales"])
def test_other_roles_are_403(api_as, e1, username):
    response = post(api_as(username), "E1", {"outcome": "no_answer"}, t(2, 11, 10))
    assert response.status_code == 403
    assert not CallbackAttempt.objects.filter(policy=e1).exists()


def test_outside_the_scope_is_404(api_as, e1):
    response = post(api_as("officer_sz"), "E1", {"outcome": "no_answer"}, t(2, 11, 10))
    assert response.status_code == 404
    assert post(api_as("operator"), "NOPE", {"outcome": "no_answer"},
                t(2, 11, 10)).status_code == 404


def token_client(user) -> APIClient:
    _token, raw = ApiToken.issue(user=user, name="call centre")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_call_centre_pushes_results_with_an_operators_token(company, e1):
    client = token_client(company.users.operator)
    response = post(client, "E1", {"outcome": "no_answer",
                                   "attempted_at": "2026-02-11T09:30:00+08:00"},
                    t(2, 11, 9, 31))
    assert response.status_code == 201, response.content
    assert CallbackAttempt.objects.get(policy=e1).operator == "operator"


def test_the_hr_systems_token_is_403(company, e1):
    client = token_client(company.users.system)
    assert client.get(url("E1")).status_code == 200  # it reads everything
    response = post(client, "E1", {"outcome": "no_answer"}, t(2, 11, 10))
    assert response.status_code == 403


def test_get_is_not_allowed_on_attempts(api_as, e1):
    assert api_as("operator").get(url("E1", "attempts/")).status_code == 405
