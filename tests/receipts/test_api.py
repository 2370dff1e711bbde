"""/api/v1/receipts/: the receipts owed in scope, by policy number, with their state
(rules §5) as of today or `?as_of=DATE`."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command
from rest_framework.test import APIClient

from pinzhi.receipts.services import receipt_register
from tests.factories import make_policy

API = "/api/v1/receipts/"


def client(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_one_receipt_as_of_days(a002, company):
    receipt_register(policy=a002, collected_on=dt.date(2026, 5, 3), by=None)
    api = client(company.users.clerk)
    before = api.get(f"{API}R1/?as_of=2026-04-30").json()
    assert before["state"] == "outstanding" and before["late"] is False
    assert before["deadline"] == "2026-04-30" and before["deduction"] == "0.00"
    overdue = api.get(f"{API}R1/?as_of=2026-05-02").json()
    assert overdue["state"] == "overdue" and overdue["late"] is True
    now = api.get(f"{API}R1/").json()
    assert (now["state"], now["collected_on"], now["deduction"]) == (
        "collected_late", "2026-05-03", "20.00")
    assert api.get(f"{API}R1/?as_of=yesterday").status_code == 400


def test_the_list_is_scoped_and_filtered(a002, company):
    make_policy("R9", company.agents["A004"], company.products["TRAD10"])  # SZ
    receipt_register(policy=company.policies["P1"], collected_on=dt.date(2026, 5, 20),
                     by=None)
    body = client(company.users.clerk).get(API).json()
    rows = {r["policy_no"]: r["state"] for r in body["results"]}
    # P2 is not long-term, P4 and R9 are in Shenzhen: outside the GZ clerk's scope.
    assert rows == {"P1": "collected_on_time", "P3": "overdue", "R1": "overdue"}
    overdue = client(company.users.clerk).get(API, {"state": "overdue"}).json()
    assert [r["policy_no"] for r in overdue["results"]] == ["P3", "R1"]
    on_time = client(company.users.clerk).get(API, {"state": "collected_on_time"}).json()
    assert [r["policy_no"] for r in on_time["results"]] == ["P1"]
    early = client(company.users.clerk).get(API, {"state": "outstanding",
                                                  "as_of": "2026-05-01"}).json()
    assert [r["policy_no"] for r in early["results"]] == ["P1", "P3"]
    assert client(company.users.clerk).get(f"{API}P4/").status_code == 404
    assert client(company.users.agent).get(API).json()["count"] == 1  # A001: P1


def test_the_schema_documents_the_resource(db):
    out = StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    paths = json.loads(out.getvalue())["paths"]
    assert set(paths["/api/v1/receipts/"]) == {"get"}
    detail = paths["/api/v1/receipts/{policy_no}/"]["get"]
    assert {p["name"] for p in detail["parameters"]} == {"policy_no", "as_of"}
