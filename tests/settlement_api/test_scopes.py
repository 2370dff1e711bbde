"""Who reads what (rules §9): the reading roles their subtree, an agent his own
statement, the payroll system everything by token, anonymous nothing."""

import pytest
from rest_framework.test import APIClient

from pinzhi.accounts.models import ApiToken

from .conftest import API, settle

MONTH = f"{API}settlements/2026-02/"


@pytest.fixture
def february(examples):
    settle(examples, "2026-02")
    return examples


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted({row["agent_code"] for row in response.json()["results"]})


@pytest.mark.parametrize("url", [f"{API}settlements/", f"{MONTH}agents/", f"{MONTH}lines/",
                                 f"{API}adjustments/", f"{API}statements/A001/2026-02/",
                                 f"{API}statements/A001/forecast/"])
def test_anonymous_is_refused(february, url):
    assert APIClient().get(url).status_code in (401, 403)
    assert APIClient().post(f"{MONTH}compute/", {}, format="json").status_code in (401, 403)


def test_an_agent_reads_only_his_own_statement(february, api_as):
    agent = api_as("agent")  # A001
    own = agent.get(f"{API}statements/A001/2026-02/")
    assert own.status_code == 200 and own.json()["agent_code"] == "A001"
    assert agent.get(f"{API}statements/A001/forecast/").status_code == 200
    for other in ("A002", "A003", "A004"):
        assert agent.get(f"{API}statements/{other}/2026-02/").status_code == 404
        assert agent.get(f"{API}statements/{other}/forecast/").status_code == 404
    # The month's lists are the reading roles' pages, not an agent's.
    for url in (f"{API}settlements/", f"{MONTH}agents/", f"{MONTH}lines/",
                f"{API}adjustments/"):
        assert agent.get(url).status_code == 403, url
    assert api_as("agent3").get(f"{API}statements/A001/2026-02/").status_code == 404


def test_a_clerk_reads_no_statement(february, api_as):
    clerk = api_as("clerk")  # GZ: sees A001's policies elsewhere, not his commission
    assert clerk.get(f"{API}statements/A001/2026-02/").status_code == 404
    assert clerk.get(f"{MONTH}agents/").status_code == 403


def test_a_manager_sees_his_subtree(february, api_as):
    manager = api_as("manager")  # T1: A001 and himself (A002)
    assert codes(manager.get(f"{MONTH}agents/")) == ["A001", "A002"]
    assert codes(manager.get(f"{MONTH}lines/")) == ["A001", "A002"]
    assert manager.get(f"{API}statements/A001/2026-02/").status_code == 200
    assert manager.get(f"{API}statements/A002/2026-02/").status_code == 200
    assert manager.get(f"{API}statements/A003/2026-02/").status_code == 404
    assert codes(manager.get(f"{MONTH}lines/", {"agent": "A003"})) == []
    assert codes(api_as("officer").get(f"{MONTH}agents/")) == ["A001", "A002", "A003"]
    assert codes(api_as("officer_sz").get(f"{MONTH}agents/")) == ["A004"]
    # GD's settlement is seen by those who see all of GD.
    assert manager.get(f"{API}settlements/").json()["count"] == 0
    assert api_as("hq").get(f"{API}settlements/").json()["count"] == 1


def test_the_payroll_system_reads_everything_by_token(february, company):
    _token, raw = ApiToken.issue(user=company.users.system, name="payroll")
    payroll = APIClient()
    payroll.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert codes(payroll.get(f"{MONTH}agents/")) == ["A001", "A002", "A003", "A004"]
    assert payroll.get(f"{API}statements/A004/2026-02/").status_code == 200
    (row,) = payroll.get(f"{API}settlements/").json()["results"]
    assert (row["month"], row["unit"], row["status"]) == ("2026-02", "GD", "closed")
    assert (row["computed_by"], row["closed_by"]) == ("sales", "admin")
    assert payroll.post(f"{MONTH}compute/", {}, format="json").status_code == 403
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token pz_not-a-token")
    assert bad.get(f"{API}settlements/").status_code == 401


def test_settlements_of_units_are_seen_in_their_subtrees(examples, api_as):
    settle(examples, "2026-02", unit="GZ")
    settle(examples, "2026-02", unit="SZ")
    settle(examples, "2026-03", unit="SZ")

    def listed(user, **query):
        body = api_as(user).get(f"{API}settlements/", query).json()
        return [(r["month"], r["unit"]) for r in body["results"]]

    assert listed("sales") == [("2026-03", "SZ"), ("2026-02", "GZ"), ("2026-02", "SZ")]
    assert listed("officer") == [("2026-02", "GZ")]
    assert listed("officer_sz") == [("2026-03", "SZ"), ("2026-02", "SZ")]
    assert listed("sales", month="2026-02") == [("2026-02", "GZ"), ("2026-02", "SZ")]
    assert listed("sales", status="draft") == []
    sales = api_as("sales")
    assert sales.get(f"{API}settlements/", {"month": "March"}).status_code == 400
    assert sales.get(f"{API}settlements/", {"status": "open"}).status_code == 400
