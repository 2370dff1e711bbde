"""The notice pages by the test client: the list in scope with its filters, the issue
form, a notice's page with the delivered and reported-back forms (rules §7.4, §9)."""

import re

import pytest
from django.urls import reverse

from pinzhi.notices.models import Notice
from pinzhi.quality.models import Case

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(company):
    issue(company, "N1")  # late: a case
    issue(company, "N2", due=(6, 20))  # to deliver
    issue(company, "N4", policy="P4", agent="A004", by=company.users.admin)  # SZ
    return company


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def listed(response) -> set[str]:
    """The notices a list shows, by their rows' ids (a bare "N4" can be in a CSRF token)."""
    html = response.content.decode() if hasattr(response, "content") else response
    return set(re.findall(r'<tr id="notice-(N\d+)"', html))


def test_the_list_shows_the_scope_and_filters(client, notices):
    html = page(client, notices.users.clerk, reverse("notices-list")).content.decode()
    assert listed(html) == {"N1", "N2"} and "notice_late" in html
    overdue = page(client, notices.users.clerk, reverse("notices-list") + "?show=overdue")
    assert listed(overdue) == {"N1"}
    to_deliver = page(client, notices.users.clerk, reverse("notices-list") + "?show=to_deliver")
    assert listed(to_deliver) == {"N2"}
    for show in ("reported_false", "harm"):
        assert page(client, notices.users.clerk,
                    reverse("notices-list") + f"?show={show}").status_code == 200
    assert listed(page(client, notices.users.officer_sz, reverse("notices-list"))) == {"N4"}
    assert listed(page(client, notices.users.agent, reverse("notices-list"))) == {"N1", "N2"}


def test_a_notice_outside_the_scope_is_a_404(client, notices):
    url = reverse("notices-detail", args=["N1"])
    assert page(client, notices.users.officer_sz, url).status_code == 404
    assert page(client, notices.users.officer, url).status_code == 200
    client.force_login(notices.users.officer_sz)
    post = client.post(reverse("notices-delivered", args=["N1"]), {"delivered_on": "2026-05-09"})
    assert post.status_code == 404 and Notice.objects.get(notice_no="N1").delivered_on is None


def test_issue_deliver_and_report_through_the_forms(client, company):
    client.force_login(company.users.clerk)
    response = client.post(reverse("notices-issue"), {
        "notice_no": "W1", "policy_no": "P1", "agent_code": "", "kind": "endorsement",
        "issued_on": "2026-05-01", "due_on": "2026-05-10"})
    assert response.status_code == 302 and response.url == reverse("notices-detail",
                                                                   args=["W1"])
    notice = Notice.objects.get(notice_no="W1")
    assert notice.agent.code == "A001" and notice.recorded_by == company.users.clerk
    client.post(reverse("notices-delivered", args=["W1"]), {"delivered_on": "2026-05-14"})
    client.post(reverse("notices-reported", args=["W1"]),
                {"reported_on": "2026-05-14", "harm": "on"})
    notice.refresh_from_db()
    assert (str(notice.delivered_on), notice.harm) == ("2026-05-14", True)
    case = Case.objects.get(rule_key="notices.case:W1")
    assert (case.type.code, str(case.occurred_on)) == ("notice_harm", "2026-05-11")
    html = client.get(reverse("notices-detail", args=["W1"])).content.decode()
    assert "notice_harm" in html and "notice_late" in html  # the replaced case, voided


def test_refusals_and_bad_input_are_shown_and_change_nothing(client, notices):
    client.force_login(notices.users.clerk)
    future = client.post(reverse("notices-delivered", args=["N1"]),
                         {"delivered_on": "2026-07-01"})
    assert future.status_code == 200 and b"in the future" in future.content
    report = client.post(reverse("notices-reported", args=["N1"]), {"reported_on": "2026-05-05"})
    assert b"has not been delivered" in report.content
    other = client.post(reverse("notices-issue"), {
        "notice_no": "X", "policy_no": "P4", "kind": "notice", "issued_on": "2026-05-01",
        "due_on": "2026-05-10"})
    assert other.status_code == 200 and not Notice.objects.filter(notice_no="X").exists()
    assert Notice.objects.get(notice_no="N1").delivered_on is None


def test_an_agent_sees_no_forms(client, notices):
    html = page(client, notices.users.agent, reverse("notices-detail", args=["N1"]))
    assert html.status_code == 200 and b"delivered-form" not in html.content
    assert page(client, notices.users.agent, reverse("notices-issue")).status_code == 302
