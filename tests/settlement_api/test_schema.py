"""The settlement endpoints are in the OpenAPI schema, with their responses."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from .conftest import API


@pytest.fixture(scope="module")
def schema():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)
    return json.loads(out.getvalue())


def test_the_schema_endpoint_mentions_the_settlements(company, api_as):
    response = api_as("system").get("/api/schema/")
    assert response.status_code == 200
    assert f"{API}settlements/" in response.content.decode()


def test_every_settlement_path_is_documented(schema):
    paths, refs = schema["paths"], "#/components/schemas/"
    assert set(paths[f"{API}settlements/"]) == {"get"}
    for name in ("agents", "lines"):
        operation = paths[f"{API}settlements/{{month}}/{name}/"]["get"]
        assert {"month", "page"} <= {p["name"] for p in operation["parameters"]}
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok["$ref"].startswith(f"{refs}Paginated")
    for name in ("compute", "close"):
        responses = paths[f"{API}settlements/{{month}}/{name}/"]["post"]["responses"]
        assert {"200", "400", "403", "409"} <= set(responses)
        assert responses["409"]["content"]["application/json"]["schema"]["$ref"] == (
            f"{refs}SettlementRefused")
    assert set(paths[f"{API}adjustments/"]) == {"get", "post"}
    assert "201" in paths[f"{API}adjustments/"]["post"]["responses"]
    assert f"{API}statements/{{agent_code}}/{{month}}/" in paths
    assert f"{API}statements/{{agent_code}}/forecast/" in paths
    row = schema["components"]["schemas"]["SettlementAgentRow"]["properties"]
    assert list(row) == ["month", "agent_code", "agent_name", "unit_code", "accrued", "paid",
                         "deducted", "recovered", "adjusted", "forfeited", "cancelled",
                         "withheld", "net"]
    assert (row["net"]["type"], row["net"]["format"]) == ("string", "decimal")
    amount = schema["components"]["schemas"]["AdjustmentIn"]["properties"]["amount"]
    assert amount["type"] == "string"
