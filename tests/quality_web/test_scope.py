"""Every quality page in the user's scope (rules §9): out of scope is a 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def detail(case):
    return reverse("case-detail", args=[case.case_no])


@pytest.mark.parametrize("username, status", [
    ("officer", 200), ("hq", 200), ("admin", 200), ("officer_sz", 200),
    ("clerk", 404), ("sales", 404), ("manager", 404), ("agent", 404),
])
def test_queue_is_for_quality_officers(company, login, username, status):
    client = login(getattr(company.users, username))
    assert client.get(reverse("quality-queue")).status_code == status


def test_queue_lists_drafts_appeals_and_deadlines_in_scope(company, login, draft):
    html = login(company.users.officer).get(reverse("quality-queue")).content.decode()
    assert f'id="case-{draft.case_no}"' in html
    # found 2026-03-13, to be settled by 2026-04-03: long past
    assert 'id="count-overdue">1<' in html and "pz-overdue" in html
    assert 'id="count-drafts">1<' in html
    html = login(company.users.officer_sz).get(reverse("quality-queue")).content.decode()
    assert draft.case_no not in html and 'id="count-drafts">0<' in html


@pytest.mark.parametrize("username, status", [
    ("officer", 200), ("hq", 200), ("clerk", 200), ("manager", 200),
    ("officer_sz", 404), ("agent3", 404),
])
def test_case_detail_scope(company, login, draft, username, status):
    client = login(getattr(company.users, username))
    assert client.get(detail(draft)).status_code == status


def test_an_agent_sees_his_cases_only_once_told(company, login, draft):
    client = login(company.users.agent)
    assert client.get(detail(draft)).status_code == 404  # a draft: he was not told
    from pinzhi.quality.services import case_confirm

    case_confirm(case=draft, by=company.users.officer)
    assert client.get(detail(draft)).status_code == 200
    assert login(company.users.agent3).get(detail(draft)).status_code == 404


def test_case_list_is_restricted(company, login, confirmed):
    html = login(company.users.officer).get(reverse("quality-cases")).content.decode()
    assert confirmed.case_no in html
    html = login(company.users.officer_sz).get(reverse("quality-cases")).content.decode()
    assert confirmed.case_no not in html


@pytest.mark.parametrize("params, shown", [
    ({}, True),
    ({"status": "confirmed"}, True),
    ({"status": "draft"}, False),
    ({"type": "misleading_sales"}, True),
    ({"type": "forged_signature"}, False),
    ({"q": "A001"}, True),
    ({"q": "A003"}, False),
    ({"unit": "T1"}, True),
    ({"unit": "T2"}, False),
    ({"period": "2026H1"}, True),
    ({"period": "2026H2"}, False),
])
def test_case_list_filters(company, login, confirmed, params, shown):
    html = login(company.users.officer).get(reverse("quality-cases"), params).content.decode()
    assert (f'id="case-{confirmed.case_no}"' in html) is shown


def test_agent_case_list_goes_to_his_page(company, login):
    response = login(company.users.agent).get(reverse("quality-cases"))
    assert response.status_code == 302 and response.url == reverse("my-quality")


def test_my_page_shows_only_his_cases(company, login, confirmed):
    from pinzhi.quality.services import case_confirm, case_draft

    other = case_draft(agent=company.agents["A003"], violation_code="forged_signature",
                       occurred_on=confirmed.occurred_on, source="audit",
                       by=company.users.officer)
    case_confirm(case=other, by=company.users.officer)
    html = login(company.users.agent).get(reverse("my-quality")).content.decode()
    assert confirmed.case_no in html and other.case_no not in html
    html = login(company.users.agent3).get(reverse("my-quality")).content.decode()
    assert other.case_no in html and confirmed.case_no not in html


@pytest.mark.parametrize("username, status", [
    ("agent", 200), ("manager", 200), ("officer", 404), ("clerk", 404),
])
def test_my_page_needs_an_agent_record(company, login, username, status):
    client = login(getattr(company.users, username))
    assert client.get(reverse("my-quality")).status_code == status


@pytest.mark.parametrize("username, status", [
    ("manager", 200), ("officer", 200), ("hq", 200), ("clerk", 404), ("agent", 404),
])
def test_team_page(company, login, username, status):
    client = login(getattr(company.users, username))
    assert client.get(reverse("quality-team")).status_code == status


def test_team_page_shows_his_subtree_and_points_per_agent(company, login, confirmed):
    html = login(company.users.manager).get(reverse("quality-team"),
                                            {"period": "2026H1"}).content.decode()
    assert 'id="score-A001"' in html and 'id="score-A002"' in html
    assert 'id="score-A003"' not in html  # team T2
    assert 'id="team-total">10.0<' in html and 'id="team-per-agent">5.0<' in html


@pytest.mark.parametrize("username, status", [
    ("officer", 200), ("hq", 200), ("clerk", 200), ("manager", 200), ("agent", 404),
])
def test_scores_page(company, login, username, status):
    client = login(getattr(company.users, username))
    assert client.get(reverse("quality-scores", args=["2026H1"])).status_code == status


def test_scores_in_scope(company, login, confirmed):
    url = reverse("quality-scores", args=["2026H1"])
    html = login(company.users.officer).get(url).content.decode()
    assert 'id="score-A001"' in html and 'id="score-A004"' not in html
    html = login(company.users.hq).get(url).content.decode()
    assert 'id="score-A004"' in html
    assert login(company.users.hq).get(
        reverse("quality-scores", args=["2026H3"])).status_code == 404


def test_catalogue_is_read_by_staff(company, login):
    for user in (company.users.clerk, company.users.manager, company.users.hq):
        html = login(user).get(reverse("quality-catalogue")).content.decode()
        assert 'id="type-misleading_sales"' in html
    assert login(company.users.agent).get(reverse("quality-catalogue")).status_code == 404


def test_navigation_by_role(company, login):
    html = login(company.users.officer).get(reverse("home")).content.decode()
    assert f'href="{reverse("quality-queue")}"' in html
    html = login(company.users.clerk).get(reverse("home")).content.decode()
    assert f'href="{reverse("quality-scores-current")}"' in html
    html = login(company.users.agent).get(reverse("home")).content.decode()
    assert f'href="{reverse("my-quality")}"' in html
    assert f'href="{reverse("quality-queue")}"' not in html
    html = login(company.users.manager).get(reverse("home")).content.decode()
    assert f'href="{reverse("quality-team")}"' in html
    assert f'href="{reverse("my-quality")}"' in html
