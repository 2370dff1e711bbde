"""/api/v1/commendations/ (issue 8): the list in scope, POST records one (409 refused, 400
malformed), in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.commendations.models import Commendation

from .conftest import commend

pytestmark = pytest.mark.django_db
API = "/api/v1/commendations/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_the_list_in_scope(company):
    commend(company, "J1")
    commend(company, "J4", agent="A004", unit="SZ")
    rows = client(company, "agent").get(API).json()["results"]
    assert [(r["commendation_no"], r["kind"], r["unit_code"]) for r in rows] == [
        ("J1", "integrity", "GZ")]
    assert client(company, "officer_sz").get(f"{API}J1/").status_code == 404
    assert client(company, "hq").get(API + "?kind=integrity").json()["count"] == 2


def test_record_by_post(company):
    body = {"agent_code": "A001", "awarded_on": "2026-05-30", "kind": "service",
            "title": "客户表扬", "reason": "r", "unit_code": "T1"}
    made = client(company, "sales").post(API, body, format="json")
    assert made.status_code == 201 and made.json()["commendation_no"].startswith("J202605")
    refused = client(company, "officer").post(API, body, format="json")
    assert refused.status_code == 409 and "may not record" in refused.json()["detail"]
    bad = client(company, "sales").post(API, {**body, "agent_code": "A999"}, format="json")
    assert bad.status_code == 400 and "agent_code" in bad.json()
    assert Commendation.objects.count() == 1


def test_in_the_schema(company):
    schema = client(company, "hq").get("/api/schema/")
    assert schema.status_code == 200 and "/api/v1/commendations/{commendation_no}/" in \
        schema.content.decode()
