"""The complaint pages by the test client: the list in scope with overdue ones standing
out, the receive form, a complaint's page and its actions; refusals shown, nothing
changed (issue 8)."""

import re

import pytest
from django.urls import reverse

from pinzhi.complaints.models import Complaint

from .conftest import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def complaints(company):
    receive(company, "K1", received=(5, 1))  # due 05-16: overdue on 06-01
    receive(company, "K2", received=(5, 25))  # due 06-09
    receive(company, "K4", policy="P4", agent="A004", by=company.users.admin)  # SZ
    return company


def listed(html: str) -> set[str]:
    return set(re.findall(r'<tr id="complaint-(K\d+)"', html))


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_list_in_scope_and_the_overdue_ones(client, complaints):
    users = complaints.users
    html = page(client, users.clerk, reverse("complaints-list")).content.decode()
    assert listed(html) == {"K1", "K2"}
    assert re.search(r'<tr id="complaint-K1" class="table-danger" data-overdue>', html)
    overdue = page(client, users.clerk, reverse("complaints-list") + "?show=overdue")
    assert listed(overdue.content.decode()) == {"K1"}
    assert listed(page(client, users.officer_sz, reverse("complaints-list"))
                  .content.decode()) == {"K4"}
    assert page(client, users.agent, reverse("complaints-list")).status_code == 302
    assert page(client, users.officer_sz,
                reverse("complaints-detail", args=["K1"])).status_code == 404


def test_receive_from_the_form(client, complaints):
    client.force_login(complaints.users.operator)
    bad = client.post(reverse("complaints-receive"), {
        "received_on": "2026-05-30", "channel": "phone", "policy_no": "P9",
        "complainant": "陈静", "summary": "s"})
    assert "No such policy." in bad.content.decode()
    done = client.post(reverse("complaints-receive"), {
        "received_on": "2026-05-30", "channel": "phone", "policy_no": "P1",
        "complainant": "陈静", "summary": "业务员夸大收益"})
    complaint = Complaint.objects.get(summary="业务员夸大收益")
    assert done.status_code == 302 and done["Location"] == complaint.get_absolute_url()
    assert complaint.agent == complaints.agents["A001"]


def test_decide_with_a_case_and_a_refusal_shown(client, complaints):
    client.force_login(complaints.users.officer)
    url = reverse("complaints-detail", args=["K2"])
    assert 'id="decide-form"' in client.get(url).content.decode()
    refused = client.post(reverse("complaints-extend", args=["K2"]), {
        "extend-on": "2026-06-01", "extend-customer_told_on": "2026-05-31",
        "extend-reason": "x"})
    assert "is before 2026-06-01" in refused.content.decode()
    assert not Complaint.objects.get(complaint_no="K2").extensions.exists()
    done = client.post(reverse("complaints-decide", args=["K2"]), {
        "decide-on": "2026-06-01", "decide-upheld": "on", "decide-decision": "属实",
        "decide-violation_code": "benefit_promised"})
    assert done.status_code == 302
    detail = client.get(url).content.decode()
    assert 'data-state="decided"' in detail and 'id="complaint-case"' in detail


def test_the_agents_own_team_sees_no_actions(client, complaints):
    from pinzhi.accounts.models import Role, User

    staked = User.objects.create(username="q_t1", role=Role.QUALITY_OFFICER,
                                 unit=complaints.units["T1"])
    client.force_login(staked)
    html = client.get(reverse("complaints-detail", args=["K2"])).content.decode()
    assert 'id="decide-form"' not in html
    post = client.post(reverse("complaints-decide", args=["K2"]), {
        "decide-on": "2026-06-01", "decide-decision": "x"})
    assert "has a stake" in post.content.decode()
    assert Complaint.objects.get(complaint_no="K2").decided_on is None


def test_a_page_at_a_time_each_row_with_its_clock(client, complaints, monkeypatch):
    from pinzhi.complaints import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client.force_login(complaints.users.clerk)
    second = client.get(reverse("complaints-list") + "?page=2").content.decode()
    assert listed(second) == {"K2"} and "2026-06-09" in second  # K2's deadline
    overdue = client.get(reverse("complaints-list") + "?show=overdue").content.decode()
    assert listed(overdue) == {"K1"}
