"""/api/v1/violation-types/ (the catalogue, rules §7.1) and the OpenAPI schema of the
quality endpoints (generated without warnings, valid)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from pinzhi.quality.services import catalogue_add_version

from .conftest import API


@pytest.fixture
def branch_override(company):
    """GZ raises notice_late to 2 points from 2026-03-01; SZ adds its own item."""
    catalogue_add_version(code="notice_late", valid_from=dt.date(2026, 3, 1),
                          points_tenths=20, by=company.users.officer,
                          unit=company.units["GZ"])
    catalogue_add_version(code="sz_uniform", valid_from=dt.date(2026, 1, 1),
                          points_tenths=5, by=company.users.officer_sz,
                          unit=company.units["SZ"], name_zh="未按规定着装",
                          name_en="not in uniform")


@pytest.mark.django_db
class TestViolationTypes:
    def test_catalogue_with_versions(self, api_as, company):
        response = api_as("agent").get(f"{API}violation-types/", {"page_size": 100})
        assert response.status_code == 200
        by_code = {t["code"]: t for t in response.json()["results"]}
        assert len(by_code) == 12
        assert by_code["claim_noncooperation"]["versions"][0]["points"] == "0.5"
        docs = by_code["documents_overdue"]["versions"][0]
        assert (docs["points"], docs["tier_after"], docs["tier_points"], docs["unit"]) == (
            "1.0", 10, "2.0", None)
        assert by_code["notice_late"]["versions"][0]["tier_points"] is None

    def test_detail_by_code(self, api_as, company):
        body = api_as("hq").get(f"{API}violation-types/benefit_promised/").json()
        assert body["code"] == "benefit_promised" and body["owner"] is None
        assert [(v["points"], v["article"]) for v in body["versions"]] == [("20.0", "36")]
        assert api_as("hq").get(f"{API}violation-types/nope/").status_code == 404

    def test_branch_versions_in_their_subtree(self, api_as, company, branch_override):
        def versions(user, code):
            response = api_as(user).get(f"{API}violation-types/{code}/")
            if response.status_code == 404:
                return None
            return [(v["unit"], v["valid_from"], v["points"]) for v in response.json()["versions"]]

        company_wide = (None, "2010-01-01", "1.0")
        gz = ("GZ", "2026-03-01", "2.0")
        assert versions("hq", "notice_late") == [company_wide, gz]
        assert versions("officer", "notice_late") == [company_wide, gz]
        assert versions("agent", "notice_late") == [company_wide, gz]  # A001 is under GZ
        assert versions("officer_sz", "notice_late") == [company_wide]
        assert versions("officer", "sz_uniform") is None
        assert versions("officer_sz", "sz_uniform") == [("SZ", "2026-01-01", "0.5")]

    def test_read_only(self, api_as, company):
        client = api_as("hq")
        assert client.post(f"{API}violation-types/", {"code": "x"}).status_code == 405
        assert client.delete(f"{API}violation-types/notice_late/").status_code == 405


@pytest.fixture(scope="module")
def schema():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)
    return json.loads(out.getvalue())


def test_schema_lists_the_quality_endpoints(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/cases/"]) == {"get"}
    assert set(paths["/api/v1/cases/{case_no}/"]) == {"get"}
    for action in ("confirm", "dismiss", "appeal", "uphold", "overturn"):
        operation = paths[f"/api/v1/cases/{{case_no}}/{action}/"]
        assert set(operation) == {"post"}
        responses = operation["post"]["responses"]
        assert {"200", "404", "409"} <= set(responses)
        assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/Refused")
    assert "/api/v1/violation-types/{code}/" in paths
    assert set(paths["/api/v1/scores/"]) == {"get"}


def test_schema_documents_the_case_filters(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"status", "type", "agent", "occurred_from", "occurred_to", "period", "under",
            "ordering", "page", "include_voided"} <= params


def test_schema_describes_scores(schema):
    operation = schema["paths"]["/api/v1/scores/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["period"]["required"] is True
    assert params["as_of"]["schema"]["format"] == "date"
    assert "unit" in params
    score = schema["components"]["schemas"]["Score"]["properties"]
    assert list(score) == ["period", "agent_code", "agent_name", "unit_code", "points",
                           "cases", "standing", "consequences"]
    assert (score["points"]["type"], score["points"]["format"]) == ("string", "decimal")
    assert score["cases"]["type"] == "integer"
    assert score["consequences"]["type"] == "array"
    case = schema["components"]["schemas"]["Case"]["properties"]
    assert case["points"]["type"] == "string" and case["points"]["nullable"] is True
