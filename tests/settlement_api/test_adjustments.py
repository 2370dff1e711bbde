"""POST /api/v1/adjustments/: a signed correction after closing, with a written reason;
malformed input is a 400 naming the field, a refusal a 409 (rules §6)."""

import pytest

from pinzhi.settlement.models import Adjustment

from .conftest import API, settle

URL = f"{API}adjustments/"
GOOD = {"agent_code": "A001", "policy_no": "E1", "amount": "-35.50",
        "reason": "收回多付的佣金; ticket 42"}  # a written reason may hold a `;`


@pytest.fixture
def closed(examples):
    settle(examples, "2026-02")
    return examples


@pytest.mark.parametrize("change, field", [
    ({"reason": None}, "reason"),  # missing
    ({"reason": "   "}, "reason"),  # blank
    ({"amount": "12.345"}, "amount"),  # more than 2 decimals
    ({"amount": "twelve"}, "amount"),
    ({"amount": 12.5}, "amount"),  # a JSON number: a float, never money
    ({"amount": "0.00"}, "amount"),
    ({"amount": "1e30"}, "amount"),  # parses, but beyond the bigint column
    ({"amount": None}, "amount"),
    ({"agent_code": None}, "agent_code"),
    ({"agent_code": "A999"}, "agent_code"),
    ({"policy_no": "NOPE"}, "policy_no"),
])
def test_malformed_input_names_the_field(closed, api_as, change, field):
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    response = api_as("sales").post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Adjustment.objects.exists()


def test_an_adjustment_goes_to_the_first_open_month(closed, api_as):
    sales = api_as("sales")
    response = sales.post(URL, GOOD, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["month"], made["agent_code"], made["policy_no"], made["amount"],
            made["by"]) == ("2026-03", "A001", "E1", "-35.50", "sales")
    plain = sales.post(URL, {**GOOD, "policy_no": "", "amount": "100"}, format="json")
    assert plain.status_code == 201 and plain.json()["policy_no"] is None
    assert plain.json()["amount"] == "100.00"
    listed = sales.get(URL, {"month": "2026-03", "agent": "A001"}).json()
    assert [a["amount"] for a in listed["results"]] == ["100.00", "-35.50"]
    assert sales.get(URL, {"month": "2026-04"}).json()["count"] == 0
    assert api_as("officer_sz").get(URL).json()["count"] == 0  # A001 is in GZ
    # March's draft carries them as signed `adjust` lines.
    sales.post(f"{API}settlements/2026-03/compute/", {"unit": "GD"}, format="json")
    (row,) = [r for r in sales.get(f"{API}settlements/2026-03/agents/").json()["results"]
              if r["agent_code"] == "A001"]
    assert row["adjusted"] == "64.50" and row["net"] == "564.50"
    adjust = sales.get(f"{API}settlements/2026-03/lines/", {"action": "adjust"}).json()
    assert sorted((r["policy_no"] or "", r["amount"], r["reasons"][0])
                  for r in adjust["results"]) == [
        ("", "100.00", GOOD["reason"]), ("E1", "-35.50", GOOD["reason"])]


def test_refusals_and_roles(examples, api_as):
    early = api_as("sales").post(URL, GOOD, format="json")  # no month closed yet
    assert early.status_code == 409 and "no month is closed" in early.json()["detail"]
    settle(examples, "2026-02")
    for user in ("manager", "officer", "agent", "system"):
        assert api_as(user).post(URL, GOOD, format="json").status_code == 403, user
        # Before the body is read: a 400 would tell them which agents exist.
        unknown = {**GOOD, "agent_code": "A999"}
        assert api_as(user).post(URL, unknown, format="json").status_code == 403, user
    other = api_as("sales").post(URL, {**GOOD, "agent_code": "A003"}, format="json")
    assert other.status_code == 409 and "not A003's" in other.json()["detail"]
    assert api_as("agent").get(URL).status_code == 403
    assert not Adjustment.objects.exists()
