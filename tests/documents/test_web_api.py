"""The documents pages and /api/v1/valuable-documents/ (rules §7.3, §9)."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pinzhi.documents.models import ValuableDocument
from pinzhi.quality.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(company, issue):
    return {
        "GZ-OUT": issue("GZ-OUT", dt.date(2099, 1, 31), issued_on=dt.date(2026, 1, 5)),
        "GZ-LATE": issue("GZ-LATE", dt.date(2026, 3, 31)),
        "GZ-BACK": issue("GZ-BACK", dt.date(2026, 3, 31), returned_on=dt.date(2026, 3, 30)),
        "SZ-LATE": issue("SZ-LATE", dt.date(2026, 3, 31), agent="A004"),
    }


def client_of(user):
    """Signed in, reading English (the pages are Chinese first; the tests read the
    services' English words)."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_list_in_scope_with_filters(company, docs):
    gz = client_of(company.users.officer)
    page = gz.get(reverse("documents-list")).content.decode()
    assert 'id="doc-GZ-LATE"' in page and "SZ-LATE" not in page
    overdue = gz.get(reverse("documents-list"), {"state": "overdue"}).content.decode()
    assert 'id="doc-GZ-LATE"' in overdue and 'id="doc-GZ-OUT"' not in overdue
    assert 'id="doc-GZ-BACK"' not in overdue
    back = gz.get(reverse("documents-list"), {"state": "returned"}).content.decode()
    assert 'id="doc-GZ-BACK"' in back and 'id="doc-GZ-LATE"' not in back
    # back on 03-30, so still out on 03-15
    earlier = gz.get(reverse("documents-list"), {"state": "out", "as_of": "2026-03-15"})
    assert 'id="doc-GZ-BACK"' in earlier.content.decode()
    sz = client_of(company.users.officer_sz).get(reverse("documents-list")).content.decode()
    assert 'id="doc-SZ-LATE"' in sz and "GZ-LATE" not in sz
    mine = client_of(company.users.agent).get(reverse("documents-list"), {"agent": "A001"})
    assert 'id="doc-GZ-OUT"' in mine.content.decode()


def test_issue_form(company):
    clerk = client_of(company.users.clerk)
    response = clerk.post(reverse("documents-issue"), {
        "doc_no": "YJ1", "doc_type": "收据", "agent": "A001", "issued_on": "2026-01-05",
        "due_on": "2026-02-05"})
    assert response.status_code == 302
    doc = ValuableDocument.objects.get(doc_no="YJ1")
    assert (doc.agent.code, doc.issued_by.username) == ("A001", "clerk")
    assert Case.objects.filter(rule_key="documents.overdue:YJ1").exists()
    refused = clerk.post(reverse("documents-issue"), {
        "doc_no": "YJ2", "agent": "A004", "issued_on": "2026-01-05", "due_on": "2026-02-05"})
    assert refused.status_code == 200 and "outside" in refused.content.decode()
    assert not ValuableDocument.objects.filter(doc_no="YJ2").exists()
    assert client_of(company.users.agent).get(reverse("documents-issue")).status_code == 404


def test_return_by_number_like_a_scanner(company, docs):
    clerk = client_of(company.users.clerk)
    url = reverse("documents-return")
    response = clerk.post(url, {"doc_no": "GZ-LATE", "returned_on": "2026-04-03"})
    assert response.status_code == 302 and "on=2026-04-03" in response["Location"]
    follow = clerk.get(response["Location"]).content.decode()
    assert 'id="recent-GZ-LATE"' in follow and 'value="2026-04-03"' in follow
    assert ValuableDocument.objects.get(doc_no="GZ-LATE").returned_on == dt.date(2026, 4, 3)
    again = clerk.post(url, {"doc_no": "GZ-LATE", "returned_on": "2026-04-03"})
    assert "returned already" in again.content.decode()
    outside = clerk.post(url, {"doc_no": "SZ-LATE", "returned_on": "2026-04-03"})
    assert "No document SZ-LATE" in outside.content.decode()
    future = clerk.post(url, {"doc_no": "GZ-OUT", "returned_on": "2099-01-01"})
    assert "in the future" in future.content.decode()


def test_documents_held_by_agents_who_left(company, docs, issue):
    gone = company.agents["A002"]
    gone.status, gone.left_on = "terminated", dt.date(2026, 3, 1)
    gone.save()
    issue("GONE-1", dt.date(2026, 2, 28), agent="A002")
    issue("GONE-BACK", dt.date(2026, 2, 28), agent="A002", returned_on=dt.date(2026, 2, 20))
    recent = company.agents["A003"]
    recent.status, recent.left_on = "terminated", dt.date.today()
    recent.save()
    issue("GONE-2", dt.date(2026, 12, 31), agent="A003")
    issue("SZ-GONE", dt.date(2026, 2, 28), agent="A004")
    sz_agent = company.agents["A004"]
    sz_agent.status, sz_agent.left_on = "terminated", dt.date(2026, 3, 1)
    sz_agent.save()
    page = client_of(company.users.officer).get(reverse("documents-leavers")).content.decode()
    assert 'id="leaver-GONE-1"' in page and "2026-03-31" in page  # left_on + 30 days
    assert 'id="leaver-GONE-2"' in page
    assert "GONE-BACK" not in page and "SZ-GONE" not in page and "GZ-LATE" not in page
    row = page.split('id="leaver-GONE-1"')[1].split("</tr>")[0]
    assert "pz-passed" in row
    row = page.split('id="leaver-GONE-2"')[1].split("</tr>")[0]
    assert "pz-open" in row


def api_as(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_api_lists_in_scope_with_state(company, docs):
    api = api_as(company.users.officer)
    body = api.get("/api/v1/valuable-documents/").json()
    rows = {r["doc_no"]: r for r in body["results"]}
    assert set(rows) == {"GZ-OUT", "GZ-LATE", "GZ-BACK"}
    assert (rows["GZ-LATE"]["state"], rows["GZ-LATE"]["agent_code"]) == ("overdue", "A001")
    assert rows["GZ-BACK"]["state"] == "returned" and rows["GZ-OUT"]["state"] == "out"
    then = api.get("/api/v1/valuable-documents/GZ-LATE/", {"as_of": "2026-03-31"}).json()
    assert then["state"] == "out"
    overdue = api.get("/api/v1/valuable-documents/", {"state": "overdue"}).json()
    assert [r["doc_no"] for r in overdue["results"]] == ["GZ-LATE"]
    assert api.get("/api/v1/valuable-documents/", {"agent": "A002"}).json()["count"] == 0
    assert api.get("/api/v1/valuable-documents/SZ-LATE/").status_code == 404
    assert api.get("/api/v1/valuable-documents/", {"as_of": "2026-13-01"}).status_code == 400
    sz = api_as(company.users.officer_sz).get("/api/v1/valuable-documents/").json()
    assert [r["doc_no"] for r in sz["results"]] == ["SZ-LATE"]
    assert api.post("/api/v1/valuable-documents/", {}).status_code == 405


def test_schema_describes_the_resource():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 stdout=out)
    paths = json.loads(out.getvalue())["paths"]
    assert set(paths["/api/v1/valuable-documents/"]) == {"get"}
    assert "/api/v1/valuable-documents/{doc_no}/" in paths
    names = {p["name"] for p in paths["/api/v1/valuable-documents/"]["get"]["parameters"]}
    assert {"agent", "state", "as_of"} <= names
