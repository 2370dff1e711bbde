"""Masked ID numbers and phones, the logged reveal, and the history (rules §9)."""

import pytest
from django.urls import reverse

from pinzhi.core.models import Event

pytestmark = pytest.mark.django_db

APPLICANT_ID = "440104197001010011"
APPLICANT_PHONE = "13912345678"
SECRETS = [APPLICANT_ID, APPLICANT_PHONE, "13800000001", "110101199003071233"]

SEES_P1 = ["admin", "hq", "officer", "clerk", "sales", "operator", "manager", "agent"]


@pytest.mark.parametrize("who", SEES_P1)
def test_policy_page_never_contains_full_id_or_phone(client, company, who):
    Event.objects.create(
        action="update", kind="policy", key="P1",
        data={"changes": {"applicant_phone": ["13700000000", APPLICANT_PHONE],
                          "applicant_id_number": ["440104197001010029", APPLICANT_ID],
                          "premium_fen": [900_000, 1_000_000]}},
    )
    client.force_login(getattr(company.users, who))
    html = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    for secret in [*SECRETS, "13700000000", "440104197001010029"]:
        assert secret not in html, secret
    assert "440104********0011" in html
    assert "139****5678" in html
    assert "137****0000" in html  # the history's old value, masked too
    assert "9,000.00" in html and "10,000.00" in html  # money in yuan, 2 decimals


@pytest.mark.parametrize("who", ["officer", "manager", "agent"])
def test_agent_page_never_contains_full_id_or_phone(client, company, who):
    client.force_login(getattr(company.users, who))
    html = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert "110101199003071233" not in html and "13800000001" not in html
    assert "110101********1233" in html and "138****0001" in html


def test_reveal_button_only_for_those_who_may_unmask(client, company):
    client.force_login(company.users.officer)
    html = client.get("/policies/P1/").content.decode()
    assert 'hx-get="/policies/P1/reveal/applicant_phone/"' in html
    client.force_login(company.users.clerk)
    html = client.get("/policies/P1/").content.decode()
    assert "/reveal/" not in html


@pytest.mark.parametrize("who", ["agent", "clerk", "manager", "sales"])
def test_unmask_is_404_for_those_who_may_not(client, company, who):
    client.force_login(getattr(company.users, who))
    assert client.get("/policies/P1/reveal/applicant_phone/").status_code == 404
    assert client.get("/agents/A001/reveal/phone/").status_code == 404
    assert not Event.objects.filter(action="unmask").exists()


def test_unmask_shows_the_full_value_and_logs_it(client, company):
    client.force_login(company.users.officer)
    response = client.get("/policies/P1/reveal/applicant_id_number/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert APPLICANT_ID in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(action="unmask")
    assert (event.actor, event.kind, event.key) == (company.users.officer, "policy", "P1")
    assert event.data == {"field": "applicant_id_number", "via": "web"}
    assert event.ip == "10.1.2.3"

    response = client.get("/agents/A001/reveal/phone/")
    assert "13800000001" in response.content.decode()
    assert Event.objects.filter(action="unmask", kind="agent", key="A001").count() == 1


def test_unmask_field_whitelist_and_scope(client, company):
    client.force_login(company.users.officer)
    for url in [
        "/policies/P1/reveal/applicant_name/",  # not on the whitelist
        "/policies/P1/reveal/commission_fen/",
        "/agents/A001/reveal/applicant_phone/",  # a policy field asked of an agent
        "/policies/P4/reveal/applicant_phone/",  # SZ's policy: out of scope
        "/agents/A004/reveal/phone/",
    ]:
        assert client.get(url).status_code == 404, url
    assert not Event.objects.filter(action="unmask").exists()


def test_unmask_is_shown_in_the_history_without_the_value(client, company):
    client.force_login(company.users.officer)
    client.get("/policies/P1/reveal/applicant_phone/")
    html = client.get("/policies/P1/").content.decode()
    assert APPLICANT_PHONE not in html
    assert "投保人电话" in html  # the logged field, by its label
