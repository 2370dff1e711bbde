"""The OpenAPI 3 schema: generated without warnings, valid, describing the resources."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

RESOURCES = {
    "units": "code", "agents": "code", "products": "code", "policies": "policy_no",
}


@pytest.fixture(scope="module")
def schema():
    out = StringIO()
    # --fail-on-warn raises on any generator warning; --validate checks it against the
    # OpenAPI 3 JSON schema. Either failure fails the test.
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)
    return json.loads(out.getvalue())


def test_schema_lists_the_resources(schema):
    paths = schema["paths"]
    for resource, key in RESOURCES.items():
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{{key}}}/" in paths
        assert set(paths[f"/api/v1/{resource}/"]) == {"get"}  # read-only
    assert "/api/v1/policies/{policy_no}/unmask/" in paths
    assert "/api/v1/agents/{code}/unmask/" in paths


def test_schema_describes_money_and_masking(schema):
    policy = schema["components"]["schemas"]["Policy"]["properties"]
    assert policy["commission"]["type"] == "string"
    assert policy["commission"]["format"] == "decimal"
    assert "applicant_phone" not in policy and "applicant_id_number" not in policy
    assert policy["applicant_phone_masked"]["type"] == "string"
    unmask = schema["paths"]["/api/v1/policies/{policy_no}/unmask/"]["get"]
    field = next(p for p in unmask["parameters"] if p["name"] == "field")
    assert field["required"] is True
    assert field["schema"]["enum"] == [
        "applicant_id_number", "applicant_phone", "insured_id_number"]


def test_schema_documents_filters(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/policies/"]["get"]["parameters"]}
    assert {"agent", "product", "status", "printed_from", "printed_to", "under", "search",
            "ordering", "page", "page_size", "include_voided"} <= params


def test_schema_endpoint_serves(api_as):
    response = api_as("system").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/policies/" in json.loads(response.content)["paths"]


def test_every_create_documents_its_201(schema):
    """A POST on a collection makes a row and answers 201: the schema must say so (a
    client reading it would otherwise take the 201 for an undocumented answer)."""
    creates = {path: ops["post"] for path, ops in schema["paths"].items()
               if "post" in ops and "{" not in path}
    assert "/api/v1/complaints/" in creates and "/api/v1/grievances/" in creates
    assert {path for path, op in creates.items() if "201" not in op["responses"]} == set()
