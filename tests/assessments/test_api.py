"""/api/v1/ranks/ and /api/v1/rank-decisions/ (issue 8): the catalogue; decisions in
scope, filtered; POST decides (409 on refusal, nothing changed); in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.assessments.models import RankDecision

from .conftest import rank_of

pytestmark = pytest.mark.django_db
API = "/api/v1/rank-decisions/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_the_catalogue(company):
    rows = client(company, "agent").get("/api/v1/ranks/").json()["results"]
    assert [(r["code"], r["name"], r["order"], r["manages_team"]) for r in rows] == [
        ("AG", "业务员", 1, False), ("SUP", "业务主任", 2, False),
        ("SSUP", "高级业务主任", 3, False), ("MGR", "业务经理", 4, True),
        ("SMGR", "高级业务经理", 5, True)]


def test_decide_then_read_in_scope(assessed):
    sales = client(assessed, "sales")
    made = sales.post(API, {"agent_code": "A004", "period": "2026H1", "outcome": "promote",
                            "note": "达标"}, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["to_rank"], made.json()["recommended"], made.json()["decided_by"]) \
        == ("业务主任", "promote", "sales")
    sales.post(API, {"agent_code": "A001", "period": "2026H1", "outcome": "demote"},
               format="json")
    both = sales.get(API, {"period": "2026h1"}).json()["results"]
    assert [r["agent_code"] for r in both] == ["A001", "A004"]
    assert [r["agent_code"] for r in sales.get(API, {"agent": "A004"}).json()["results"]] \
        == ["A004"]
    # the manager of T1 reads his subtree's only, the agent his own
    assert [r["agent_code"] for r in client(assessed, "manager").get(API).json()["results"]] \
        == ["A001"]
    assert [r["agent_code"] for r in client(assessed, "agent").get(API).json()["results"]] \
        == ["A001"]


def test_a_refusal_is_a_409_with_nothing_changed(assessed):
    sales = client(assessed, "sales")
    refused = sales.post(API, {"agent_code": "A001", "period": "2026H1",
                               "outcome": "promote"}, format="json")
    assert refused.status_code == 409 and "not allowed" in refused.json()["detail"]
    early = sales.post(API, {"agent_code": "A004", "period": "2026H2",
                             "outcome": "promote"}, format="json")
    assert early.status_code == 409 and "has not ended" in early.json()["detail"]
    manager = client(assessed, "manager").post(API, {"agent_code": "A001",
                                                     "period": "2026H1",
                                                     "outcome": "demote"}, format="json")
    assert manager.status_code == 409 and "may not decide" in manager.json()["detail"]
    outside = client(assessed, "officer").post(API, {"agent_code": "A004",
                                                     "period": "2026H1",
                                                     "outcome": "promote"}, format="json")
    assert outside.status_code == 400 and "agent_code" in outside.json()
    assert not RankDecision.objects.exists() and rank_of("A001") == "业务主任"


def test_in_the_schema(company):
    c = APIClient()
    c.force_authenticate(company.users.admin)
    schema = c.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/rank-decisions/" in text and "/api/v1/ranks/{code}/" in text


def test_the_schema_has_no_warning_of_this_area(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--format", "openapi-json")
    captured = capsys.readouterr()
    assert '"/api/v1/rank-decisions/"' in captured.out
    assert "assessments" not in captured.err
