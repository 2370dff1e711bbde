"""The recruitment pages by the test client (issue 8): the list in scope with each
candidate's state and its filter, the record form, a candidate's page with checks, the
verdict and its forms; refusals shown, nothing changed; the agent's panel."""

import re

import pytest
from django.urls import reverse

from pinzhi.accounts.models import Role, User
from pinzhi.org.models import Agent
from pinzhi.recruitment.models import Candidate
from pinzhi.recruitment.services import check_record, contract_sign

from .conftest import ID1, ID2, TODAY, candidate, clear_all, d, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def recruits(company):
    """R1 pending (T1), R2 cleared (T1), R3 barred (T2), R4 contracted (T1), R9 in SZ."""
    sales = company.users.sales
    candidate(company, "R1", ID1)
    clear_all(company, candidate(company, "R2", ID2))
    r3 = candidate(company, "R3", id_number("44010619900101303"), team="T2")
    clear_all(company, r3, skip=("dismissed_for_cause",))
    check_record(candidate=r3, kind="dismissed_for_cause", checked_on=d(2026, 5, 10),
                 outcome="barred", event_on=d(2023, 6, 1), source="原任职公司", by=sales)
    r4 = candidate(company, "R4", id_number("44010619900101304"))
    clear_all(company, r4)
    contract_sign(candidate=r4, code="A900", hired_on=TODAY, by=sales)
    candidate(company, "R9", id_number("44030519900101309"), team="T3")
    return company


def listed(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="candidate-(R\d+)" data-state="(\w+)"', html))


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_list_in_scope_with_states_and_filters(client, recruits):
    users = recruits.users
    html = get(client, users.sales, reverse("recruitment-list")).content.decode()
    assert listed(html) == {"R1": "pending", "R2": "cleared", "R3": "barred",
                            "R4": "contracted", "R9": "pending"}
    assert ID1 not in html and 'id="candidate-form"' in html
    barred = get(client, users.sales, reverse("recruitment-list") + "?show=barred")
    assert listed(barred.content.decode()) == {"R3": "barred"}
    contracted = get(client, users.sales, reverse("recruitment-list") + "?show=contracted")
    assert listed(contracted.content.decode()) == {"R4": "contracted"}
    officer = get(client, users.officer, reverse("recruitment-list")).content.decode()
    assert set(listed(officer)) == {"R1", "R2", "R3", "R4"}
    assert 'id="candidate-form"' not in officer  # reads, does not recruit
    assert get(client, users.clerk, reverse("recruitment-list")).status_code == 302
    assert get(client, users.agent, reverse("recruitment-list")).status_code == 302


def test_record_a_candidate_from_the_form(client, recruits):
    client.force_login(recruits.users.sales)
    bad = client.post(reverse("recruitment-new"), {
        "name": "钱多多", "id_number": "440106199001013010", "phone": "13922223333",
        "team": "T1", "rank": "业务员", "applied_on": "2026-05-30"})
    assert "check digit" in bad.content.decode()
    idn = id_number("44010619900101305")
    done = client.post(reverse("recruitment-new"), {
        "name": "钱多多", "id_number": idn, "phone": "139 2222 3333", "team": "T1",
        "rank": "业务员", "applied_on": "2026-05-30"})
    made = Candidate.objects.get(id_number=idn)
    assert done.status_code == 302 and done["Location"] == made.get_absolute_url()
    assert (made.phone, made.recorded_by) == ("13922223333", recruits.users.sales)


def test_a_candidates_page_with_its_verdict_and_a_check(client, recruits):
    client.force_login(recruits.users.sales)
    url = reverse("recruitment-detail", args=["R1"])
    html = client.get(url).content.decode()
    assert 'data-state="pending"' in html and "criminal_record not checked" in html
    assert "440106********" in html and ID1 not in html and "139****2222" in html
    done = client.post(reverse("recruitment-check", args=["R1"]), {
        "check-kind": "criminal_record", "check-checked_on": "2026-05-20",
        "check-outcome": "barred", "check-event_on": "2022-01-01",
        "check-source": "公安机关无犯罪记录证明", "check-note": "职务侵占罪，刑满释放"})
    assert done.status_code == 302
    html = client.get(url).content.decode()
    assert "criminal_record: barred through 2027-01-01" in html


def test_refusals_are_shown_and_change_nothing(client, recruits):
    client.force_login(recruits.users.sales)
    refused = client.post(reverse("recruitment-check", args=["R1"]), {
        "check-kind": "dismissed_for_cause", "check-checked_on": "2026-05-20",
        "check-outcome": "barred", "check-source": "原任职公司"}, follow=True)
    assert "event_on: required for a barred outcome" in refused.content.decode()
    signed = client.post(reverse("recruitment-sign", args=["R3"]), {
        "sign-code": "A901", "sign-hired_on": "2026-06-01"})
    assert "dismissed_for_cause: barred through 2028-06-01" in signed.content.decode()
    assert not Agent.objects.filter(code="A901").exists()
    assert not Candidate.objects.get(candidate_no="R1").checks.exists()


def test_sign_from_the_page(client, recruits):
    client.force_login(recruits.users.sales)
    done = client.post(reverse("recruitment-sign", args=["R2"]), {
        "sign-code": "A902", "sign-hired_on": "2026-06-01"})
    assert done.status_code == 302
    html = client.get(reverse("recruitment-detail", args=["R2"])).content.decode()
    assert 'id="candidate-agent"' in html and 'id="sign-form"' not in html


def test_another_branch_gets_404(client, recruits):
    sales_sz = User.objects.create(username="sales_sz", role=Role.SALES_ADMIN,
                                   unit=recruits.units["SZ"])
    assert get(client, sales_sz, reverse("recruitment-detail", args=["R1"])).status_code == 404
    assert get(client, sales_sz, reverse("recruitment-detail", args=["R9"])).status_code == 200
    posted = client.post(reverse("recruitment-sign", args=["R2"]), {
        "sign-code": "A903", "sign-hired_on": "2026-06-01"})
    assert posted.status_code == 404 and not Agent.objects.filter(code="A903").exists()


def test_the_agents_panel_shows_his_checks_to_those_who_may(client, recruits):
    url = reverse("agent-detail", args=["A900"])
    for user in (recruits.users.sales, recruits.users.officer, recruits.users.hq):
        html = get(client, user, url).content.decode()
        assert 'id="recruitment-checks"' in html and "R4" in html, user
    assert 'id="recruitment-checks"' not in get(client, recruits.users.manager,
                                                url).content.decode()
    assert 'id="recruitment-checks"' not in get(
        client, recruits.users.sales, reverse("agent-detail", args=["A001"])).content.decode()
    history = get(client, recruits.users.sales, url).content.decode()
    assert "Agency contract signed" in history and "recruitment" in history  # his start
    agent_id = Agent.objects.get(code="A900").id_number
    assert agent_id not in history and agent_id[:6] + "********" in history
