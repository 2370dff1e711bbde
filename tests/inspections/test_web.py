"""The inspection pages by the test client, as the inspector, the owner, a manager and
another sub-branch's officer (404): lists in scope with overdue findings standing out,
plan and finding pages and their forms; refusals shown, nothing changed (issue 8)."""

import re

import pytest
from django.urls import reverse

from pinzhi.inspections.models import ChecklistItem, Finding, InspectionPlan
from pinzhi.quality.models import Case

from .conftest import d, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def rows(html: str, what: str) -> set[str]:
    return set(re.findall(rf'<tr id="{what}-([A-Z0-9]+)"', html))


def test_the_plans_in_scope_with_their_progress(client, inspected):
    users = inspected.users
    html = page(client, users.officer, reverse("inspections-list")).content.decode()
    assert rows(html, "plan") == {"J1"}
    assert re.search(r'<tr id="plan-J1" class="table-danger" data-overdue>', html)
    assert 'id="plan-form"' in html
    assert rows(page(client, users.officer_sz, reverse("inspections-list"))
                .content.decode(), "plan") == {"J4"}
    assert rows(page(client, users.hq, reverse("inspections-list") + "?kind=inspection")
                .content.decode(), "plan") == {"J1", "J4"}
    assert page(client, users.agent, reverse("inspections-list")).status_code == 302
    clerk = page(client, users.clerk, reverse("inspections-list")).content.decode()
    assert rows(clerk, "plan") == {"J1"} and 'id="plan-form"' not in clerk


def test_plan_one_from_the_form_with_the_standard_checklist(client, company):
    client.force_login(company.users.officer)
    answer = client.post(reverse("inspections-new"), {
        "kind": "inspection", "unit": company.units["GZ"].pk, "period_from": "2026-04-01",
        "period_to": "2026-06-30", "title": "二季度检查", "plan_no": "J9",
        "template": "standard"})
    assert answer.status_code == 302 and answer.url == reverse("inspections-plan",
                                                               args=["J9"])
    assert ChecklistItem.objects.filter(plan__plan_no="J9").count() == 6
    refused = client.post(reverse("inspections-new"), {
        "kind": "inspection", "unit": company.units["GZ"].pk, "period_from": "2026-06-30",
        "period_to": "2026-04-01", "title": "x"}, follow=True)
    assert "is before period_from" in refused.content.decode()
    assert InspectionPlan.objects.count() == 1


def test_the_plan_page_and_its_forms(client, inspected):
    users = inspected.users
    url = reverse("inspections-plan", args=["J1"])
    html = page(client, users.officer, url).content.decode()
    assert rows(html, "finding") == {"F1", "F2"}
    assert re.search(r'<tr id="finding-F1" class="table-danger" data-overdue>', html)
    assert 'id="finding-form"' in html
    client.post(reverse("inspections-item-add", args=["J1"]),
                {"item-text": "回执回销", "item-violation_code": "receipt_not_returned"})
    item = ChecklistItem.objects.get(plan__plan_no="J1")
    client.post(reverse("inspections-item-check", args=["J1", item.seq]),
                {"check-result": "failed", "check-checked_on": "2026-05-02"})
    item.refresh_from_db()
    assert item.result == "failed"
    prefilled = page(client, users.officer, url + f"?item={item.seq}").content.decode()
    assert re.search(r'<option value="receipt_not_returned" selected>', prefilled)
    client.post(reverse("inspections-finding-new", args=["J1"]), {
        "finding-item_seq": item.seq, "finding-description": "回执超期",
        "finding-found_on": "2026-05-25", "finding-agent_code": "A003",
        "finding-owner": users.clerk.pk, "finding-violation_code": "receipt_not_returned"})
    made = Finding.objects.get(agent__code="A003")
    assert made.case is not None and made.due_on == d(6, 24)
    refused = client.post(reverse("inspections-finding-new", args=["J1"]), {
        "finding-description": "x", "finding-found_on": "2026-05-25",
        "finding-owner": users.clerk.pk, "finding-violation_code": "receipt_not_returned"},
        follow=True)
    assert "a violation needs the agent" in refused.content.decode()
    assert Finding.objects.count() == 4 and Case.objects.count() == 2
    # The clerk reads the plan but does not inspect it; SZ's officer does not see it.
    assert 'id="finding-form"' not in page(client, users.clerk, url).content.decode()
    assert page(client, users.officer_sz, url).status_code == 404


def test_all_findings_mine_and_overdue(client, inspected):
    users = inspected.users
    url = reverse("inspections-findings")
    html = page(client, users.clerk, url).content.decode()
    assert rows(html, "finding") == {"F1", "F2"}
    assert re.search(r'<tr id="finding-F1" class="table-danger" data-overdue>', html)
    assert rows(page(client, users.clerk, url + "?show=overdue").content.decode(),
                "finding") == {"F1"}
    assert rows(page(client, users.clerk, url + "?show=mine").content.decode(),
                "finding") == {"F1", "F2"}
    assert rows(page(client, users.officer, url + "?show=mine").content.decode(),
                "finding") == set()
    assert rows(page(client, users.officer_sz, url).content.decode(), "finding") == {"F4"}
    # The manager's scope is his team: F2 names his agent A001, F1 is the sub-branch's.
    assert rows(page(client, users.manager, url).content.decode(), "finding") == set()


def test_the_owner_rectifies_and_the_inspector_verifies(client, inspected):
    users = inspected.users
    url = reverse("inspections-finding", args=["F1"])
    html = page(client, users.clerk, url).content.decode()
    assert 'id="rectify-form"' in html and 'id="verify-form"' not in html
    assert 'data-state="overdue"' in html
    client.post(reverse("inspections-rectify", args=["F1"]),
                {"rectify-rectified_on": "2026-06-01", "rectify-rectification": "已补回执"})
    f1 = Finding.objects.get(finding_no="F1")
    assert (f1.rectified_on, f1.rectified_by) == (d(6, 1), users.clerk)
    html = page(client, users.officer, url).content.decode()
    assert 'data-state="rectified_late"' in html and 'id="verify-form"' in html
    bad = client.post(reverse("inspections-verify", args=["F1"]),
                      {"verify-verified_on": "2026-05-31"}, follow=True)
    assert "is before 2026-06-01" in bad.content.decode()
    client.post(reverse("inspections-verify", args=["F1"]),
                {"verify-verified_on": "2026-06-01"})
    assert Finding.objects.get(finding_no="F1").verified_by == users.officer
    assert page(client, users.officer_sz, url).status_code == 404
    sales = page(client, users.sales, url).content.decode()  # reads, may not act
    assert 'id="rectify-form"' not in sales


def test_the_agents_page_shows_the_findings_naming_him(client, inspected):
    html = page(client, inspected.users.officer,
                reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="inspection-findings-panel"' in html and 'id="panel-finding-F2"' in html
    other = page(client, inspected.users.officer,
                 reverse("agent-detail", args=["A003"])).content.decode()
    assert 'id="inspection-findings-panel"' not in other
    own = page(client, inspected.users.agent, reverse("agent-detail", args=["A001"]))
    assert 'id="panel-finding-F2"' in own.content.decode()


def test_a_managers_self_inspection(client, company):
    j = plan(company, "J7", unit="T1", kind="self_inspection", by=company.users.manager)
    html = page(client, company.users.manager, j.get_absolute_url()).content.decode()
    assert 'id="finding-form"' in html
