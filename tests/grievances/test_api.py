"""/api/v1/grievances/ (issue 8): the agent's own and the handlers' scope with each state;
raise, assign and reply by POST; a refusal is a 409 with nothing changed; the manager and
another branch get a 404; in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.grievances.models import Grievance

from .conftest import raise_one

pytestmark = pytest.mark.django_db
API = "/api/v1/grievances/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_each_sees_what_he_may(company):
    raise_one(company, "G1", received=(5, 1), about="manager", against="A002")
    raise_one(company, "G4", agent="A004", by=company.users.hq)
    rows = client(company, "officer").get(API).json()["results"]
    assert [(r["grievance_no"], r["state"], r["due_on"]) for r in rows] == [
        ("G1", "overdue", "2026-05-16")]
    assert [r["grievance_no"] for r in client(company, "agent").get(API).json()["results"]] \
        == ["G1"]
    assert client(company, "manager").get(f"{API}G1/").status_code == 404
    assert client(company, "officer_sz").get(f"{API}G1/").status_code == 404
    assert client(company, "system").get(API).json()["results"] == []


def test_raise_assign_reply(company):
    agent, officer = client(company, "agent"), client(company, "officer")
    made = agent.post(API, {"about": "commission", "summary": "佣金少发"}, format="json")
    assert made.status_code == 201, made.json()
    no = made.json()["grievance_no"]
    assert (made.json()["agent_code"], made.json()["state"], made.json()["due_on"]) == (
        "A001", "open", "2026-06-16")
    other = agent.post(API, {"agent_code": "A003", "about": "company", "summary": "s"},
                       format="json")
    assert other.status_code == 400 and "agent_code" in other.json()
    assigned = officer.post(f"{API}{no}/assign/", {"handler": "sales"}, format="json")
    assert assigned.status_code == 200 and assigned.json()["handler"] == "sales"
    refused = officer.post(f"{API}{no}/reply/", {"replied_on": "2026-06-01",
                                                "outcome": "upheld", "reply": "r"},
                           format="json")
    assert refused.status_code == 409 and "handled by sales" in refused.json()["detail"]
    replied = client(company, "sales").post(f"{API}{no}/reply/", {
        "replied_on": "2026-06-01", "outcome": "upheld", "reply": "已补发"}, format="json")
    assert replied.status_code == 200 and replied.json()["state"] == "replied"


def test_a_refusal_changes_nothing(company):
    answer = client(company, "manager").post(API, {"agent_code": "A001", "about": "company",
                                                   "summary": "s"}, format="json")
    assert answer.status_code == 409 and "may not record" in answer.json()["detail"]
    assert not Grievance.objects.exists()


def test_in_the_schema(company):
    schema = client(company, "hq").get("/api/schema/")
    assert schema.status_code == 200
    assert "/api/v1/grievances/{grievance_no}/reply/" in schema.content.decode()
