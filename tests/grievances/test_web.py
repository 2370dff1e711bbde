"""The grievance pages by the test client: the agent raises one from his phone's form and
sees only his own; handlers see their scope with overdue ones standing out, record a paper
one, assign and reply; the agent's manager and another branch get a 404 (issue 8)."""

import re

import pytest
from django.urls import reverse

from pinzhi.grievances.models import Grievance

from .conftest import raise_one

pytestmark = pytest.mark.django_db
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def grievances(company):
    raise_one(company, "G1", received=(5, 1), about="manager", against="A002")  # overdue
    raise_one(company, "G2", received=(5, 25))  # due 06-09
    raise_one(company, "G3", agent="A003", received=(5, 20))
    raise_one(company, "G4", agent="A004", by=company.users.hq)  # SZ
    return company


def listed(html: str) -> set[str]:
    return set(re.findall(r'id="grievance-(G\d+)"', html))


def get(client, user, url, **extra):
    client.force_login(user)
    return client.get(url, **extra)


def test_the_agent_raises_one_from_his_phone_and_sees_his_own(client, grievances):
    agent = grievances.users.agent
    page = get(client, agent, reverse("grievances-list"), **PHONE).content.decode()
    assert 'id="raise-form"' in page and 'class="btn btn-primary w-100"' in page
    assert 'class="form-select" id="id_about"' in page  # full size, for the thumb
    assert listed(page) == {"G1", "G2"}
    bad = client.post(reverse("grievances-raise"), {"about": "colleague",
                                                    "against_code": "A999", "summary": "x"})
    assert "No such agent." in bad.content.decode()
    done = client.post(reverse("grievances-raise"), {
        "about": "colleague", "against_code": "A003", "summary": "同事抢单"}, **PHONE)
    grievance = Grievance.objects.get(summary="同事抢单")
    assert done.status_code == 302 and done["Location"] == grievance.get_absolute_url()
    assert (grievance.agent.code, grievance.against_agent.code, grievance.channel) == (
        "A001", "A003", "app")
    own = client.get(grievance.get_absolute_url()).content.decode()
    assert "同事抢单" in own and 'id="reply-form"' not in own
    assert client.get(reverse("grievances-detail", args=["G3"])).status_code == 404


def test_the_manager_cannot_see_one_against_him(client, grievances):
    manager = grievances.users.manager  # A002, T1's manager: G1 is against him
    assert get(client, manager, reverse("grievances-detail", args=["G1"])).status_code == 404
    assert get(client, manager, reverse("grievances-detail", args=["G2"])).status_code == 404
    mine = client.get(reverse("grievances-list")).content.decode()
    assert listed(mine) == set() and 'id="raise-form"' in mine  # his own, none yet
    agent_page = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="agent-grievances"' not in agent_page
    assert get(client, grievances.users.clerk, reverse("grievances-list")).status_code == 302


def test_handlers_their_scope_overdue_standing_out(client, grievances):
    users = grievances.users
    html = get(client, users.officer, reverse("grievances-list")).content.decode()
    assert listed(html) == {"G1", "G2", "G3"}
    assert re.search(r'<tr id="grievance-G1" class="table-danger" data-overdue>', html)
    assert 'text-bg-danger" data-state="overdue"' in html
    overdue = client.get(reverse("grievances-list") + "?show=overdue").content.decode()
    assert listed(overdue) == {"G1"}
    assert listed(get(client, users.officer_sz, reverse("grievances-list"))
                  .content.decode()) == {"G4"}
    assert client.get(reverse("grievances-detail", args=["G1"])).status_code == 404
    agent_page = get(client, users.officer, reverse("agent-detail", args=["A001"]))
    assert 'id="agent-grievances"' in agent_page.content.decode()


def test_record_assign_and_reply(client, grievances):
    users = grievances.users
    client.force_login(users.officer)
    bad = client.post(reverse("grievances-record"), {
        "agent_code": "A004", "received_on": "2026-05-30", "channel": "letter",
        "about": "company", "summary": "s"})
    assert "No such agent." in bad.content.decode()  # SZ's agent: outside his scope
    done = client.post(reverse("grievances-record"), {
        "agent_code": "A003", "received_on": "2026-05-30", "channel": "hotline",
        "about": "commission", "summary": "续期佣金少发"})
    made = Grievance.objects.get(summary="续期佣金少发")
    assert done["Location"] == made.get_absolute_url() and made.recorded_by == users.officer
    client.post(reverse("grievances-assign", args=["G2"]), {"assign-handler": users.sales.pk})
    assert Grievance.objects.get(grievance_no="G2").handler == users.sales
    refused = client.post(reverse("grievances-reply", args=["G2"]), {
        "reply-replied_on": "2026-06-01", "reply-outcome": "upheld", "reply-reply": "r"},
        follow=True)
    assert "G2 is handled by sales" in refused.content.decode()
    client.force_login(users.sales)
    page = client.get(reverse("grievances-list") + "?show=mine").content.decode()
    assert listed(page) == {"G2"}
    client.post(reverse("grievances-reply", args=["G2"]), {
        "reply-replied_on": "2026-06-01", "reply-outcome": "partly", "reply-reply": "已补发"})
    assert Grievance.objects.get(grievance_no="G2").outcome == "partly"
    client.force_login(users.agent)
    replied = client.get(reverse("grievances-detail", args=["G2"])).content.decode()
    assert "已补发" in replied and 'data-state="replied"' in replied


def test_the_handler_with_a_stake_gets_no_forms(client, grievances):
    from pinzhi.accounts.models import Role, User

    boss = User.objects.create(username="boss", role=Role.MANAGER, is_superuser=True,
                               unit=grievances.units["T1"])
    page = get(client, boss, reverse("grievances-detail", args=["G1"])).content.decode()
    assert 'id="grievance-stake"' in page and 'id="assign-form"' not in page

