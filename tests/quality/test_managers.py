"""Team managers' accountability (issue 8): a manager's record shows his agents' cases,
and a setting decides whether a share of their points also counts against him."""

import datetime as dt

import pytest
from django.urls import reverse

from pinzhi.core.models import Parameter
from pinzhi.org.models import Agent
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.services import case_confirm, case_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(company, travel):
    """A001 (T1) has 10 points, A003 (T2) 1; the manager user is A002, of T1."""
    travel("2026-06-01T09:00")
    officer = company.users.officer
    for agent, code in (("A001", "misleading_sales"), ("A003", "notice_late")):
        case = case_draft(agent=company.agents[agent], violation_code=code,
                          occurred_on=dt.date(2026, 5, 2), source="audit", by=officer)
        case_confirm(case=case, by=officer)
    return company


def manager_score(company):
    [(_a, score)] = list(half_year_scores("2026H1", as_of=dt.date(2026, 6, 1),
                                          agents=Agent.objects.filter(code="A002")))
    return score


def test_off_by_default_and_a_share_when_set(cases):
    assert (manager_score(cases).points_tenths, manager_score(cases).managed_tenths) == (0, 0)
    Parameter.objects.create(key="quality.manager_share_percent", value=50,
                             valid_from=dt.date(2026, 1, 1))
    score = manager_score(cases)
    # half of A001's 10.0 (his team T1's agents); A003 is T2's, not his
    assert (score.points_tenths, score.managed_tenths, score.standing) == (50, 50, "warned")
    others = dict((a.code, s.points_tenths) for a, s in half_year_scores(
        "2026H1", as_of=dt.date(2026, 6, 1)))
    assert (others["A001"], others["A003"]) == (100, 10)  # theirs unchanged


def test_the_managers_record_shows_his_agents_cases(client, cases):
    Parameter.objects.create(key="quality.manager_share_percent", value=50,
                             valid_from=dt.date(2026, 1, 1))
    client.force_login(cases.users.officer)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("agent-detail", args=["A002"])).content.decode()
    section = html.split('id="managed-cases"', 1)[1].split("</ul>", 1)[0]
    assert "A001" in section and "A003" not in section and "10.0" in section
    assert "5.0 points count against him" in html
    plain = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="managed-cases"' not in plain  # he manages nobody
