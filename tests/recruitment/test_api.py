"""/api/v1/candidates/ (issue 8): the candidates in scope with their checks and verdict;
record one, record a check and sign by POST; a refusal is a 409 with nothing changed;
outside the scope a 404; all in the schema, without warnings."""

import pytest
from rest_framework.test import APIClient

from pinzhi.org.models import Agent
from pinzhi.recruitment.models import Candidate, RecruitmentCheck

from .conftest import ID1, ID2, candidate, clear_all

pytestmark = pytest.mark.django_db
API = "/api/v1/candidates/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_the_list_in_scope_with_checks_and_verdict(company):
    clear_all(company, candidate(company, "R1", ID1), skip=("industry_ban",))
    candidate(company, "R9", ID2, team="T3")
    rows = client(company, "officer").get(API).json()["results"]
    assert [r["candidate_no"] for r in rows] == ["R1"]
    row = rows[0]
    assert row["id_number"] == ID1[:6] + "********" + ID1[-4:] and row["phone"] == "139****2222"
    assert len(row["checks"]) == 4
    assert row["verdict"] == {"day": "2026-06-01", "ok": False, "state": "pending",
                              "reasons": ["industry_ban not checked"], "ban_years": 5}
    assert client(company, "officer").get(f"{API}R9/").status_code == 404
    assert client(company, "hq").get(f"{API}R9/").status_code == 200
    assert client(company, "agent").get(API).json()["results"] == []


def test_record_check_and_sign(company):
    sales = client(company, "sales")
    made = sales.post(API, {"candidate_no": "R5", "name": "孙丽", "id_number": ID1,
                            "phone": "13933334444", "unit_code": "T2", "rank": "业务员",
                            "applied_on": "2026-05-20"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["verdict"]["state"] == "pending"
    for kind in ("criminal_record", "licence_revoked", "dismissed_for_cause", "industry_ban"):
        done = sales.post(f"{API}R5/checks/", {"kind": kind, "checked_on": "2026-05-25",
                                               "outcome": "clear", "source": "监管系统"},
                          format="json")
        assert done.status_code == 201, done.json()
    early = sales.post(f"{API}R5/contract/", {"code": "A905", "hired_on": "2026-06-01"},
                       format="json")
    assert early.status_code == 409
    assert "credit_blacklist not checked" in early.json()["detail"]
    sales.post(f"{API}R5/checks/", {"kind": "credit_blacklist", "checked_on": "2026-05-25",
                                    "outcome": "clear", "source": "征信中心"}, format="json")
    signed = sales.post(f"{API}R5/contract/", {"code": "A905", "hired_on": "2026-06-01"},
                        format="json")
    assert signed.status_code == 200 and signed.json()["agent_code"] == "A905"
    assert signed.json()["verdict"]["state"] == "contracted"
    assert Agent.objects.get(code="A905").team.code == "T2"


def test_refusals_change_nothing(company):
    candidate(company, "R1", ID1)
    barred = client(company, "sales").post(f"{API}R1/checks/", {
        "kind": "criminal_record", "checked_on": "2026-05-25", "outcome": "barred",
        "source": "公安"}, format="json")
    assert barred.status_code == 409 and "event_on" in barred.json()["detail"]
    unknown = client(company, "sales").post(f"{API}R1/checks/", {
        "kind": "tax_record", "checked_on": "2026-05-25", "outcome": "clear",
        "source": "税务"}, format="json")
    assert unknown.status_code == 400 and "kind" in unknown.json()
    officer = client(company, "officer").post(f"{API}R1/checks/", {
        "kind": "criminal_record", "checked_on": "2026-05-25", "outcome": "clear",
        "source": "公安"}, format="json")
    assert officer.status_code == 409 and "may not record" in officer.json()["detail"]
    assert not RecruitmentCheck.objects.exists()
    bad = client(company, "sales").post(API, {"name": "x", "id_number": "440106199001013010",
                                              "phone": "13933334444", "unit_code": "GZ01",
                                              "rank": "业务员", "applied_on": "2026-05-20"},
                                        format="json")
    assert bad.status_code == 400 and "id_number" in bad.json()
    assert Candidate.objects.count() == 1


def test_in_the_schema_without_warnings(company):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.routers import DefaultRouter

    from pinzhi.recruitment import api

    router = DefaultRouter()
    api.register(router)
    GENERATOR_STATS.reset()
    mine = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(
        request=None, public=True)
    assert not GENERATOR_STATS, "the recruitment resources warn"
    assert "/api/v1/candidates/{candidate_no}/checks/" in mine["paths"]
    assert "/api/v1/candidates/{candidate_no}/contract/" in mine["paths"]
    verdict = mine["components"]["schemas"]["CandidateVerdict"]["properties"]["state"]
    assert verdict["description"] == "one of: pending, cleared, barred, contracted"
    whole = client(company, "hq").get("/api/schema/")
    assert whole.status_code == 200 and b"/api/v1/candidates/{candidate_no}/" in whole.content
