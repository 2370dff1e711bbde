"""/api/v1/complaints/ (issue 8): the list in scope with each clock; receive, extend,
decide and review by POST; a refusal is a 409 with nothing changed; outside the scope a
404; all in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.complaints.models import Complaint

from .conftest import receive

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_the_list_in_scope_with_its_clock(company):
    receive(company, "K1", received=(5, 1))
    receive(company, "K4", policy="P4", agent="A004", by=company.users.admin)
    rows = client(company, "clerk").get(API).json()["results"]
    assert [(r["complaint_no"], r["state"], r["due_on"], r["overdue"]) for r in rows] == [
        ("K1", "open", "2026-05-16", True)]
    assert client(company, "officer_sz").get(f"{API}K1/").status_code == 404


def test_receive_extend_decide_and_review(company):
    clerk, officer = client(company, "clerk"), client(company, "officer")
    made = clerk.post(API, {"complaint_no": "K9", "received_on": "2026-05-25",
                            "policy_no": "P1", "complainant": "陈静", "summary": "s"},
                      format="json")
    assert made.status_code == 201 and made.json()["due_on"] == "2026-06-09"
    extended = officer.post(f"{API}K9/extend/", {"on": "2026-06-01", "reason": "调录音",
                                                 "customer_told_on": "2026-06-01"},
                            format="json")
    assert extended.status_code == 200, extended.json()
    assert (extended.json()["extensions"], extended.json()["due_on"]) == (1, "2026-06-24")
    again = officer.post(f"{API}K9/extend/", {"on": "2026-06-01", "reason": "x",
                                              "customer_told_on": "2026-06-01"},
                         format="json")
    assert again.status_code == 409 and "senior approval" in again.json()["detail"]
    decided = officer.post(f"{API}K9/decide/", {"on": "2026-06-01", "decision": "属实",
                                                "upheld": True,
                                                "violation_code": "benefit_promised"},
                           format="json")
    assert decided.status_code == 200 and decided.json()["case_no"].startswith("Q2026")
    asked = clerk.post(f"{API}K9/review-request/", {"on": "2026-06-01"}, format="json")
    assert asked.json()["state"] == "under_review"
    reviewed = client(company, "hq").post(f"{API}K9/review/", {"on": "2026-06-01",
                                                              "outcome": "维持"},
                                          format="json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "reviewed"


def test_a_refusal_changes_nothing(company):
    receive(company, "K1")
    answer = client(company, "agent").post(API, {"received_on": "2026-05-25",
                                                 "policy_no": "P1", "complainant": "x",
                                                 "summary": "s"}, format="json")
    assert answer.status_code == 409 and Complaint.objects.count() == 1
    bad = client(company, "clerk").post(API, {"received_on": "2026-05-25", "complainant": "x",
                                              "summary": "s"}, format="json")
    assert bad.status_code == 400 and "agent_code" in bad.json()


def test_in_the_schema(company):
    schema = client(company, "hq").get("/api/schema/").content.decode()
    assert "/api/v1/complaints/{complaint_no}/extend/" in schema
