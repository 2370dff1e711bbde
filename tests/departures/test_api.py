"""/api/v1/departures/ (issue 8): the departures in scope with their tasks; record one
and policyholders told by POST; a refusal is a 409 with nothing changed; outside the
scope a 404; all in the schema."""

import pytest
from rest_framework.test import APIClient

from pinzhi.departures.models import Departure, PolicyholderNotice

from .conftest import depart

pytestmark = pytest.mark.django_db
API = "/api/v1/departures/"


def client(company, username) -> APIClient:
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def test_the_list_in_scope_with_its_tasks(leaver):
    depart(leaver)
    depart(leaver, agent="A004", servicing="A003", by=leaver.users.admin)
    rows = client(leaver, "manager").get(API).json()["results"]
    assert [r["agent_code"] for r in rows] == ["A001"]
    row = rows[0]
    assert (row["servicing_agent_code"], row["policies_reassigned"]) == ("A002", 3)
    assert row["notify"] == {"due_on": "2026-06-09", "state": "open", "done": 0, "total": 2,
                             "finished_on": None}
    assert (row["documents"]["state"], row["documents"]["total"]) == ("open", 2)
    assert client(leaver, "clerk").get(f"{API}A004/").status_code == 404
    assert client(leaver, "hq").get(f"{API}A004/").json()["agent_code"] == "A004"


def test_record_a_departure_and_policyholders_told(leaver):
    sales = client(leaver, "sales")
    made = sales.post(API, {"agent_code": "A001", "left_on": "2026-05-10",
                            "reason": "resigned", "servicing_agent_code": "A002"},
                      format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["policies_reassigned"] == 3
    again = sales.post(API, {"agent_code": "A001", "left_on": "2026-05-10",
                             "reason": "resigned", "servicing_agent_code": "A002"},
                       format="json")
    assert again.status_code == 409 and "has left already" in again.json()["detail"]
    one = sales.post(f"{API}A001/told/", {"told_on": "2026-05-12", "how": "sms",
                                          "policies": ["P1"]}, format="json")
    assert one.status_code == 200 and one.json()["notify"]["done"] == 1
    rest = sales.post(f"{API}A001/told/", {"told_on": "2026-05-13", "how": "letter"},
                      format="json")
    assert rest.json()["notify"]["state"] == "done"
    refused = sales.post(f"{API}A001/told/", {"told_on": "2026-05-13", "how": "letter"},
                         format="json")
    assert refused.status_code == 409 and "told already" in refused.json()["detail"]
    assert PolicyholderNotice.objects.count() == 2


def test_refusals_and_roles(leaver):
    body = {"agent_code": "A001", "left_on": "2026-05-10", "reason": "resigned",
            "servicing_agent_code": "A001"}
    assert client(leaver, "sales").post(API, body, format="json").status_code == 409
    manager = client(leaver, "manager").post(
        API, {**body, "servicing_agent_code": "A002"}, format="json")
    assert manager.status_code == 409 and "may not record" in manager.json()["detail"]
    unknown = client(leaver, "clerk").post(
        API, {**body, "agent_code": "A004", "servicing_agent_code": "A002"}, format="json")
    assert unknown.status_code == 400
    assert not Departure.objects.exists()


def test_in_the_schema(company):
    schema = client(company, "hq").get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/departures/{agent_code}/told/" in text
    assert "/api/v1/departures/{agent_code}/" in text
