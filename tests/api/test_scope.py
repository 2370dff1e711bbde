"""Who sees which rows (rules §9): each list per role, and 404 by URL outside the scope."""

import pytest

from .helpers import ALL_AGENTS, ALL_POLICIES, ALL_UNITS, API, sorted_keys

GD_UNITS = ["GD", "GZ", "GZ01", "SZ", "SZ01", "T1", "T2", "T3"]
GZ_UNITS = ["GZ", "GZ01", "T1", "T2"]
SZ_UNITS = ["SZ", "SZ01", "T3"]

# user: (policies, agents, units) that his lists return.
SCOPES = {
    "admin": (ALL_POLICIES, ALL_AGENTS, ALL_UNITS),
    "hq": (ALL_POLICIES, ALL_AGENTS, ALL_UNITS),
    "system": (ALL_POLICIES, ALL_AGENTS, ALL_UNITS),
    "sales": (ALL_POLICIES, ALL_AGENTS, GD_UNITS),
    "operator": (ALL_POLICIES, ALL_AGENTS, GD_UNITS),
    "officer": (["P1", "P2", "P3"], ["A001", "A002", "A003"], GZ_UNITS),
    "clerk": (["P1", "P2", "P3"], ["A001", "A002", "A003"], GZ_UNITS),
    "officer_sz": (["P4"], ["A004"], SZ_UNITS),
    "manager": (["P1", "P2"], ["A001", "A002"], ["T1"]),
    # Agents see themselves: their own policies and agent row, no units.
    "agent": (["P1"], ["A001"], []),
    "agent3": (["P3"], ["A003"], []),
}


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_lists_per_role(api_as, username):
    policies, agents, units = SCOPES[username]
    client = api_as(username)
    assert sorted_keys(client.get(f"{API}policies/"), "policy_no") == policies
    assert sorted_keys(client.get(f"{API}agents/"), "code") == agents
    assert sorted_keys(client.get(f"{API}units/"), "code") == units
    # Products are reference data: every signed-in user with a scope reads them all.
    assert sorted_keys(client.get(f"{API}products/"), "code") == ["ACC1", "TRAD10", "UL1"]


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_detail_is_404_outside_scope(api_as, username):
    policies, agents, units = SCOPES[username]
    client = api_as(username)
    for kind, every, visible in (
        ("policies", ALL_POLICIES, policies),
        ("agents", ALL_AGENTS, agents),
        ("units", ALL_UNITS, units),
    ):
        for key in every:
            expected = 200 if key in visible else 404
            assert client.get(f"{API}{kind}/{key}/").status_code == expected, (kind, key)


def test_other_branch_and_other_agent(api_as):
    # The GZ officer does not reach Shenzhen; agent A001 does not reach A003's policy.
    assert api_as("officer").get(f"{API}policies/P4/").status_code == 404
    assert api_as("officer").get(f"{API}agents/A004/").status_code == 404
    assert api_as("officer").get(f"{API}units/SZ/").status_code == 404
    assert api_as("officer_sz").get(f"{API}policies/P1/").status_code == 404
    assert api_as("agent").get(f"{API}policies/P3/").status_code == 404
    assert api_as("agent").get(f"{API}agents/A002/").status_code == 404
    assert api_as("agent3").get(f"{API}policies/P1/").status_code == 404
    assert api_as("agent").get(f"{API}policies/P1/").json()["policy_no"] == "P1"


def test_unknown_key_is_404(api_as):
    assert api_as("admin").get(f"{API}policies/NOPE/").status_code == 404


def test_user_without_scope_sees_nothing(api_as, company):
    # A subtree role without a unit has no scope: empty lists, not everything.
    company.users.clerk.unit = None
    company.users.clerk.save()
    client = api_as("clerk")
    assert client.get(f"{API}policies/").json()["count"] == 0
    assert client.get(f"{API}products/").json()["count"] == 0
    assert client.get(f"{API}policies/P1/").status_code == 404


def test_filters_never_widen_scope(api_as):
    client = api_as("officer")
    assert sorted_keys(client.get(f"{API}policies/", {"under": "SZ"}), "policy_no") == []
    assert sorted_keys(client.get(f"{API}policies/", {"agent": "A004"}), "policy_no") == []
    # `under` an ancestor of his unit still returns only his own subtree.
    assert sorted_keys(client.get(f"{API}policies/", {"under": "GD"}), "policy_no") == [
        "P1", "P2", "P3",
    ]
    assert sorted_keys(client.get(f"{API}policies/", {"include_voided": "true"}),
                       "policy_no") == ["P1", "P2", "P3"]
