"""/api/v1/scores/: half-year points per agent in scope, for the HR system (token) and
staff; an agent reads only his own row. Points are one-decimal strings."""

import datetime as dt

import pytest

from pinzhi.accounts.models import ApiToken
from pinzhi.org.models import Agent
from pinzhi.quality.services import case_confirm, case_draft

from .conftest import API

pytestmark = pytest.mark.django_db

H1 = {"period": "2026H1", "as_of": "2026-06-30"}
ZERO = ("0.0", 0, "good", [])


def rows(response):
    assert response.status_code == 200, response.content
    return {r["agent_code"]: (r["points"], r["cases"], r["standing"], r["consequences"])
            for r in response.json()["results"]}


@pytest.fixture
def scored(company, cases):
    """A001 in 2026H1: notice_late 1 + claim_noncooperation 0.5 (confirmed), a draft
    misleading_sales (C1, no points); A003's forged signature is in H2."""
    claim = case_draft(agent=company.agents["A001"], violation_code="claim_noncooperation",
                       occurred_on=dt.date(2026, 6, 30), source="audit", case_no="C5")
    case_confirm(case=claim, by=company.users.officer)
    return cases


@pytest.mark.parametrize("username, agents", [
    ("hq", ["A001", "A002", "A003", "A004"]),
    ("admin", ["A001", "A002", "A003", "A004"]),
    ("system", ["A001", "A002", "A003", "A004"]),
    ("officer", ["A001", "A002", "A003"]),
    ("officer_sz", ["A004"]),
    ("manager", ["A001", "A002"]),
    ("agent", ["A001"]),
    ("agent3", ["A003"]),
])
def test_rows_per_role(api_as, scored, username, agents):
    found = rows(api_as(username).get(f"{API}scores/", H1))
    assert sorted(found) == agents
    if "A001" in found:
        assert found["A001"] == ("1.5", 2, "good", [])
    for code in set(agents) - {"A001"}:
        assert found[code] == ZERO  # agents without cases have their row


def test_row_shape_and_order(api_as, scored):
    response = api_as("hq").get(f"{API}scores/", H1)
    results = response.json()["results"]
    assert [r["agent_code"] for r in results] == ["A001", "A002", "A003", "A004"]
    assert results[0] == {"period": "2026H1", "agent_code": "A001", "agent_name": "张伟",
                          "unit_code": "T1", "points": "1.5", "cases": 2,
                          "standing": "good", "consequences": []}


def test_hr_system_reads_scores_by_token(api, scored, company):
    _, raw = ApiToken.issue(user=company.users.system, name="HR")
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    found = rows(api.get(f"{API}scores/", {"period": "2026H2", "as_of": "2026-12-31"}))
    assert found == {"A001": ZERO, "A002": ZERO, "A004": ZERO,
                     "A003": ("10.0", 1, "restricted", ["warning_letter", "remedial_training",
                                                        "no_promotion", "no_club"])}


def test_agent_token_reads_only_his_own_row(api, scored, company):
    _, raw = ApiToken.issue(user=company.users.agent, name="phone")
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert list(rows(api.get(f"{API}scores/", H1))) == ["A001"]
    assert list(rows(api.get(f"{API}scores/", {**H1, "unit": "T2"}))) == []


def test_thresholds_and_strings(api_as, scored, company):
    # 10 more points: 11.5, restricted
    case = case_draft(agent=company.agents["A001"], violation_code="terms_changed",
                      occurred_on=dt.date(2026, 2, 2), source="audit", case_no="C6")
    case_confirm(case=case, by=company.users.officer)
    assert rows(api_as("hq").get(f"{API}scores/", H1))["A001"] == (
        "11.5", 3, "restricted",
        ["warning_letter", "remedial_training", "no_promotion", "no_club"])


def test_as_of_leaves_out_later_cases(api_as, scored):
    found = rows(api_as("hq").get(f"{API}scores/", {"period": "2026H1",
                                                    "as_of": "2026-06-29"}))
    assert found["A001"] == ("1.0", 1, "good", [])
    found = rows(api_as("hq").get(f"{API}scores/", {"period": "2026H1",
                                                    "as_of": "2026-05-10"}))
    assert found["A001"] == ZERO


def test_as_of_defaults_to_today(api_as, scored):
    assert rows(api_as("hq").get(f"{API}scores/", {"period": "2026H1"}))["A001"][0] == "1.5"


def test_overturned_case_stops_counting(api_as, scored):
    assert api_as("agent").post(f"{API}cases/C2/appeal/", {"reason": "x"},
                                format="json").status_code == 200
    assert rows(api_as("hq").get(f"{API}scores/", H1))["A001"][:2] == ("1.5", 2)  # appealed
    assert api_as("hq").post(f"{API}cases/C2/overturn/", {"note": "x"},
                             format="json").status_code == 200
    assert rows(api_as("agent").get(f"{API}scores/", H1))["A001"][:2] == ("0.5", 1)


@pytest.mark.parametrize("unit, agents", [
    ("T1", ["A001", "A002"]), ("GZ", ["A001", "A002", "A003"]), ("SZ", []), ("NOPE", []),
])
def test_unit_narrows_never_widens(api_as, scored, unit, agents):
    assert sorted(rows(api_as("officer").get(f"{API}scores/", {**H1, "unit": unit}))) == \
        agents


def test_agents_of_the_half_year_only(api_as, scored, company):
    Agent.objects.filter(code="A003").update(status="terminated",
                                             left_on=dt.date(2025, 12, 31))
    Agent.objects.filter(code="A004").update(status="terminated", left_on=dt.date(2026, 1, 1))
    Agent.objects.create(code="A005", name="赵磊", id_number="440106199001010011",
                         phone="13800000005", rank="业务员", team=company.units["T1"],
                         hired_on=dt.date(2026, 7, 1))
    assert sorted(rows(api_as("hq").get(f"{API}scores/", H1))) == ["A001", "A002", "A004"]
    h2 = {"period": "2026H2", "as_of": "2026-12-31"}
    assert sorted(rows(api_as("hq").get(f"{API}scores/", h2))) == ["A001", "A002", "A005"]


def test_pages(api_as, scored):
    client = api_as("hq")
    first = client.get(f"{API}scores/", {**H1, "page_size": 3}).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    second = client.get(first["next"]).json()
    assert [r["agent_code"] for r in second["results"]] == ["A004"]


@pytest.mark.parametrize("query, field", [
    ({}, "period"),
    ({"period": "2026Q1"}, "period"),
    ({"period": "2026H3"}, "period"),
    ({"period": "2026H1", "as_of": "30/06/2026"}, "as_of"),
])
def test_bad_query_is_400(api_as, scored, query, field):
    response = api_as("hq").get(f"{API}scores/", query)
    assert response.status_code == 400 and field in response.json()


def test_user_without_scope_gets_no_rows(api_as, scored, company):
    company.users.clerk.unit = None
    company.users.clerk.save()
    assert rows(api_as("clerk").get(f"{API}scores/", H1)) == {}
