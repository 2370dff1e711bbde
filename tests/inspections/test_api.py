"""/api/v1/inspection-plans/ and /api/v1/inspection-findings/ (issue 8): read in scope
with the checklist, progress and state; record a finding, its rectification and its
verification by POST; a refusal is a 409 with nothing changed; all in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.inspections import services
from pinzhi.inspections.models import Finding

pytestmark = pytest.mark.django_db
PLANS, FINDINGS = "/api/v1/inspection-plans/", "/api/v1/inspection-findings/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_plans_in_scope_with_checklist_and_progress(inspected):
    j1 = services.checklist_add(plan=inspected_plan(), text="回执",
                                violation_code="receipt_not_returned",
                                by=inspected.users.officer)
    assert j1.seq == 1
    rows = client(inspected, "clerk").get(PLANS).json()["results"]
    assert [r["plan_no"] for r in rows] == ["J1"]
    assert rows[0]["checklist"] == [{"seq": 1, "text": "回执",
                                     "violation_code": "receipt_not_returned",
                                     "result": "", "checked_on": None, "checked_by": None}]
    assert rows[0]["progress"] == {"items": 1, "checked": 0, "findings": 2, "open": 1,
                                   "overdue": 1}
    one = client(inspected, "hq").get(f"{PLANS}J4/").json()
    assert one["progress"]["findings"] == 1
    assert client(inspected, "officer_sz").get(f"{PLANS}J1/").status_code == 404


def inspected_plan():
    from pinzhi.inspections.models import InspectionPlan

    return InspectionPlan.objects.get(plan_no="J1")


def test_findings_with_their_state(inspected):
    rows = client(inspected, "officer").get(FINDINGS).json()["results"]
    assert [(r["finding_no"], r["state"], r["due_on"], r["case_no"] is not None)
            for r in rows] == [("F1", "overdue", "2026-05-31", False),
                               ("F2", "open", "2026-06-19", True)]
    assert client(inspected, "officer_sz").get(f"{FINDINGS}F1/").status_code == 404
    mine = client(inspected, "hq").get(FINDINGS + "?owner=officer_sz").json()["results"]
    assert [r["finding_no"] for r in mine] == ["F4"]


def test_record_rectify_and_verify(inspected):
    officer, clerk = client(inspected, "officer"), client(inspected, "clerk")
    made = officer.post(FINDINGS, {"plan_no": "J1", "finding_no": "F9", "description": "代签名",
                                   "found_on": "2026-05-30", "owner": "clerk",
                                   "agent_code": "A003", "violation_code": "forged_signature"},
                        format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["state"] == "open" and made.json()["case_no"].startswith("Q2026")
    done = clerk.post(f"{FINDINGS}F9/rectify/", {"rectified_on": "2026-06-01",
                                                 "rectification": "已约谈并补签"},
                      format="json")
    assert done.status_code == 200 and done.json()["state"] == "rectified"
    again = clerk.post(f"{FINDINGS}F9/verify/", {"verified_on": "2026-06-01"}, format="json")
    assert again.status_code == 409 and "may not verify" in again.json()["detail"]
    verified = officer.post(f"{FINDINGS}F9/verify/", {"verified_on": "2026-06-01"},
                            format="json")
    assert verified.status_code == 200 and verified.json()["verified_on"] == "2026-06-01"


def test_refusals_change_nothing(inspected):
    officer = client(inspected, "officer")
    refused = officer.post(FINDINGS, {"plan_no": "J1", "description": "x",
                                      "found_on": "2026-05-30", "owner": "officer_sz"},
                           format="json")
    assert refused.status_code == 409 and "outside his scope" in refused.json()["detail"]
    unknown = officer.post(FINDINGS, {"plan_no": "J4", "description": "x",
                                      "found_on": "2026-05-30", "owner": "clerk"},
                           format="json")
    assert unknown.status_code == 400 and "plan_no" in unknown.json()
    late = client(inspected, "sales").post(f"{FINDINGS}F1/rectify/", {
        "rectified_on": "2026-06-01", "rectification": "x"}, format="json")
    assert late.status_code == 409
    assert Finding.objects.count() == 3
    assert Finding.objects.get(finding_no="F1").rectified_on is None


def test_in_the_schema(inspected):
    answer = client(inspected, "hq").get("/api/schema/")
    assert answer.status_code == 200
    schema = answer.content.decode()
    assert "/api/v1/inspection-findings/{finding_no}/rectify/" in schema
    assert "/api/v1/inspection-plans/{plan_no}/" in schema
