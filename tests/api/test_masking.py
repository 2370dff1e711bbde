"""Masking (rules §9): full ID and phone numbers leave only through audited `unmask`."""

import pytest

from pinzhi.core.models import Event
from tests.factories import AGENTS, UNITS

from .helpers import API

APPLICANT_ID = "440104197001010011"
APPLICANT_PHONE = "13912345678"
# Every full personal number of the company (applicant and insured share one ID), and
# the units' landlines without their area code.
SECRETS = (
    [APPLICANT_ID, APPLICANT_PHONE]
    + [idn for _, _, idn, _, _, _ in AGENTS]
    + [phone for _, _, _, phone, _, _ in AGENTS]
    + [phones.split("-")[1] for *_, phones in UNITS if phones]
)
USERS = ["admin", "hq", "officer", "officer_sz", "sales", "clerk", "operator", "manager",
         "agent", "agent3", "system"]
PATHS = [
    "policies/", "policies/?include_voided=true", "policies/P1/", "policies/P4/",
    "agents/", "agents/A001/", "agents/A004/", "units/", "units/GD/", "products/",
]


@pytest.mark.parametrize("username", USERS)
def test_no_full_number_in_any_response(api_as, username):
    client = api_as(username)
    for path in PATHS:
        body = client.get(f"{API}{path}").content.decode()
        for secret in SECRETS:
            assert secret not in body, (path, secret)


def test_masked_values_are_served(api_as):
    client = api_as("admin")
    policy = client.get(f"{API}policies/P1/").json()
    assert policy["applicant_id_number_masked"] == "440104********0011"
    assert policy["applicant_phone_masked"] == "139****5678"
    assert policy["insured_id_number_masked"] == "440104********0011"
    agent = client.get(f"{API}agents/A001/").json()
    assert agent["id_number_masked"] == "110101********1233"
    assert agent["phone_masked"] == "138****0001"
    assert client.get(f"{API}units/GD/").json()["phones_masked"] == ["020-****0000"]


@pytest.mark.parametrize("username", ["admin", "hq", "officer", "operator"])
def test_unmask_policy_for_allowed_roles(api_as, company, username):
    response = api_as(username).get(f"{API}policies/P1/unmask/", {"field": "applicant_phone"},
                                    REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"key": "P1", "field": "applicant_phone", "value": APPLICANT_PHONE}
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(action="unmask")
    assert (event.actor, event.kind, event.key, event.ip) == (
        getattr(company.users, username), "policy", "P1", "10.1.2.3",
    )
    assert event.data == {"field": "applicant_phone", "via": "api"}


@pytest.mark.parametrize("field,value", [
    ("applicant_id_number", APPLICANT_ID),
    ("insured_id_number", APPLICANT_ID),
])
def test_unmask_policy_id_numbers(api_as, field, value):
    response = api_as("officer").get(f"{API}policies/P2/unmask/", {"field": field})
    assert response.json()["value"] == value
    assert Event.objects.get(action="unmask").data["field"] == field


@pytest.mark.parametrize("field,value", [("id_number", "110101199003071233"),
                                         ("phone", "13800000001")])
def test_unmask_agent(api_as, company, field, value):
    response = api_as("hq").get(f"{API}agents/A001/unmask/", {"field": field})
    assert response.status_code == 200
    assert response.json() == {"key": "A001", "field": field, "value": value}
    event = Event.objects.get(action="unmask")
    assert (event.actor, event.kind, event.key, event.data) == (
        company.users.hq, "agent", "A001", {"field": field, "via": "api"},
    )
    assert event.ip == "127.0.0.1"


@pytest.mark.parametrize("username", ["sales", "clerk", "manager", "agent", "system"])
def test_unmask_is_404_for_other_roles(api_as, username):
    client = api_as(username)
    # P1 and A001 are in every one of these users' scopes: the 404 is about the role.
    assert client.get(f"{API}policies/P1/").status_code == 200
    assert client.get(f"{API}policies/P1/unmask/", {"field": "applicant_phone"}).status_code \
        == 404
    assert client.get(f"{API}agents/A001/unmask/", {"field": "phone"}).status_code == 404
    assert not Event.objects.filter(action="unmask").exists()


def test_unmask_is_404_outside_scope(api_as):
    client = api_as("officer")
    assert client.get(f"{API}policies/P4/unmask/", {"field": "applicant_phone"}).status_code \
        == 404
    assert client.get(f"{API}agents/A004/unmask/", {"field": "phone"}).status_code == 404
    assert not Event.objects.filter(action="unmask").exists()


@pytest.mark.parametrize("query", [{}, {"field": "applicant_name"}, {"field": "premium_fen"},
                                   {"field": "agent"}, {"field": "id_number"}])
def test_unmask_field_whitelist(api_as, query):
    response = api_as("admin").get(f"{API}policies/P1/unmask/", query)
    assert response.status_code == 400
    assert "field" in response.json()
    assert not Event.objects.filter(action="unmask").exists()


def test_unmask_agent_whitelist(api_as):
    response = api_as("admin").get(f"{API}agents/A001/unmask/", {"field": "applicant_phone"})
    assert response.status_code == 400


def test_unmask_only_by_get(api_as):
    assert api_as("admin").post(f"{API}policies/P1/unmask/?field=applicant_phone") \
        .status_code == 405
