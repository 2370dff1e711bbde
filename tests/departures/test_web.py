"""The departure pages (issue 8) as each role uses them: the list with its overdue tasks
standing out, the terminated agents with none recorded, the forms; 404 outside scope."""

import pytest
from django.conf import settings
from django.urls import reverse

from pinzhi.departures.models import Departure, PolicyholderNotice
from pinzhi.documents.models import ValuableDocument
from tests.factories import PASSWORD

from .conftest import d, depart

pytestmark = pytest.mark.django_db
LIST = reverse("departures-list")


def login(client, user):
    """Signed in, reading the pages in English (the messages' msgids)."""
    client.login(username=user.username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail(code="A001"):
    return reverse("departures-detail", args=[code])


def test_the_list_shows_tasks_and_overdue_ones_stand_out(leaver, client, clock):
    depart(leaver)
    depart(leaver, agent="A003", left_on=d(4, 1))  # due 05-01: overdue now
    page = login(client, leaver.users.officer).get(LIST).content.decode()
    row = page.split('id="departure-A003"')[1].split("</tr>")[0]
    assert "data-overdue" in row and "text-bg-danger" in row and "2026-05-01" in row
    fresh = page.split('id="departure-A001"')[1].split("</tr>")[0]
    assert "data-overdue" not in fresh and "0/2" in fresh
    assert 'id="record-form"' not in page  # the quality officer reads only
    overdue = client.get(LIST + "?show=overdue").content.decode()
    assert 'id="departure-A003"' in overdue and 'id="departure-A001"' not in overdue


def test_terminated_agents_with_no_departure_are_listed_to_record(leaver, client):
    a3 = leaver.agents["A003"]
    a3.status, a3.left_on = "terminated", d(5, 1)
    a3.save()
    page = login(client, leaver.users.sales).get(LIST).content.decode()
    assert 'id="pending-A003"' in page and "?agent=A003" in page
    assert 'value="A003"' in client.get(LIST + "?agent=A003").content.decode()


def test_recording_a_departure_on_the_page(leaver, client):
    login(client, leaver.users.sales)
    response = client.post(reverse("departures-record"), {
        "agent_code": "A001", "left_on": "2026-05-10", "reason": "resigned",
        "servicing_agent_code": "A002", "note": ""})
    assert response.status_code == 302 and response["Location"] == detail()
    assert Departure.objects.get().assignments.count() == 3
    again = client.post(reverse("departures-record"), {
        "agent_code": "A001", "left_on": "2026-05-11", "reason": "resigned",
        "servicing_agent_code": "A002"}, follow=True).content.decode()
    assert "has left already" in again


def test_an_unknown_servicing_agent_is_a_form_error(leaver, client):
    login(client, leaver.users.clerk)
    page = client.post(reverse("departures-record"), {
        "agent_code": "A001", "left_on": "2026-05-10", "reason": "resigned",
        "servicing_agent_code": "A004"}).content.decode()
    assert "No agent A004 in your scope" in page
    assert not Departure.objects.exists()


def test_the_departure_page_tells_policyholders(leaver, client):
    depart(leaver)
    login(client, leaver.users.sales)
    page = client.get(detail()).content.decode()
    assert 'id="policy-P1"' in page and 'id="policy-P7"' in page
    assert 'id="policy-P5"' not in page  # short-term
    assert 'id="document-D1"' in page and 'id="document-D3"' not in page
    client.post(reverse("departures-told", args=["A001"]),
                {"policy": ["P1"], "told_on": "2026-05-20", "how": "phone"})
    assert list(PolicyholderNotice.objects.values_list("policy__policy_no", flat=True)) == [
        "P1"]
    client.post(reverse("departures-told", args=["A001"]),
                {"all": "1", "told_on": "2026-05-21", "how": "letter"})
    assert PolicyholderNotice.objects.count() == 2
    page = client.get(detail()).content.decode()
    assert 'data-task="notify" data-state="done"' in page
    refused = client.post(reverse("departures-told", args=["A001"]),
                          {"all": "1", "told_on": "2026-05-21", "how": "letter"},
                          follow=True).content.decode()
    assert "was told already" in refused


def test_the_departure_page_takes_documents_back(leaver, client):
    depart(leaver)
    login(client, leaver.users.clerk)
    page = client.get(detail()).content.decode()
    assert reverse("documents-return") in page
    for no in ("D1", "D2"):
        client.post(reverse("departures-return", args=["A001"]),
                    {"doc_no": no, "returned_on": "2026-05-25"})
    assert set(ValuableDocument.objects.filter(returned_on=d(5, 25))
               .values_list("doc_no", flat=True)) == {"D1", "D2"}
    page = client.get(detail()).content.decode()
    assert 'data-task="documents" data-state="done"' in page
    # the sales administrator may not take documents back: the documents' refusal
    login(client, leaver.users.sales)
    assert 'id="documents-return-link"' not in client.get(detail()).content.decode()


def test_outside_the_scope_is_a_404(leaver, client):
    depart(leaver, agent="A004", by=leaver.users.admin)
    login(client, leaver.users.clerk)
    assert client.get(detail("A004")).status_code == 404
    assert client.post(reverse("departures-told", args=["A004"]),
                       {"all": "1", "told_on": "2026-05-21", "how": "letter"}
                       ).status_code == 404
    assert 'id="departure-A004"' not in client.get(LIST).content.decode()


def test_an_agent_is_sent_home(leaver, client):
    login(client, leaver.users.agent)
    assert client.get(LIST).status_code == 302


def test_the_panels(leaver, client):
    depart(leaver)
    login(client, leaver.users.sales)
    agent_page = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="departure-panel"' in agent_page and "2026-05-10" in agent_page
    manager_page = client.get(reverse("agent-detail", args=["A002"])).content.decode()
    assert 'id="taken-over"' in manager_page
    policy_page = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    panel = policy_page.split('id="servicing-panel"')[1]
    assert "A002" in panel and "A001 → A002" in panel
    other = client.get(reverse("policy-detail", args=["P2"])).content.decode()
    assert 'id="servicing-panel"' not in other
