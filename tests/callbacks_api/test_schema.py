"""The callback endpoints are in /api/schema/, generated without warnings."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)
    return json.loads(out.getvalue())


def test_the_paths_and_their_methods(schema):
    paths = schema["paths"]
    assert set(paths["/api/v1/policies/{policy_no}/callback/"]) == {"get"}
    assert set(paths["/api/v1/policies/{policy_no}/callback/attempts/"]) == {"post"}
    assert set(paths["/api/v1/callbacks/"]) == {"get"}


def test_the_detail(schema):
    get = schema["paths"]["/api/v1/policies/{policy_no}/callback/"]["get"]
    assert {p["name"] for p in get["parameters"]} == {"policy_no", "as_of", "known_at"}
    assert set(get["responses"]) == {"200", "400", "404"}
    callback = schema["components"]["schemas"]["Callback"]["properties"]
    assert {"status", "status_label", "open_round", "attempts", "next_call_at",
            "deadline_at", "round_1_failed_at", "round_2_opens_at", "manual_opened_at",
            "success_at", "findings", "findings_undecided", "condition_met",
            "phone_masked", "phone_false"} <= set(callback)
    assert "phone" not in callback


def test_the_list_documents_its_filters(schema):
    get = schema["paths"]["/api/v1/callbacks/"]["get"]
    params = {p["name"] for p in get["parameters"]}
    assert {"status", "late", "unit", "agent", "condition_met", "ordering", "page",
            "page_size"} <= params


def test_the_attempt_body(schema):
    post = schema["paths"]["/api/v1/policies/{policy_no}/callback/attempts/"]["post"]
    assert set(post["responses"]) == {"201", "400", "403", "404"}
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["required"] == ["outcome"]
    assert {"outcome", "attempted_at", "round", "answers", "satisfaction", "inbound",
            "appointment_at", "note", "method", "phone_changed"} <= set(body["properties"])


def test_the_schema_endpoint_serves_them(api_as):
    response = api_as("system").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/policies/{policy_no}/callback/" in json.loads(response.content)["paths"]
