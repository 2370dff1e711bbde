"""The rank assessment page (issue 8): as the sales administrator (decides, one by one
and all as recommended), as a manager (reads his subtree), as another branch's user; the
agent's panel."""

import re

import pytest
from django.urls import reverse

from pinzhi.accounts.models import Role
from pinzhi.assessments.models import RankDecision

from .conftest import rank_of

pytestmark = pytest.mark.django_db
LIST = reverse("assessments-list")


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def row(html: str, code: str) -> str:
    return re.search(rf'<tr id="agent-{code}".*?</tr>', html, re.S).group(0)


def count(html: str, outcome: str) -> str:
    return re.search(rf'data-outcome="{outcome}">[^<]*<span data-count>(\d+)<', html).group(1)


def test_the_last_ended_half_year_with_recommendations(client, assessed):
    html = signed_in(client, assessed.users.sales).get(LIST).content.decode()
    assert "Rank assessment, 2026H1" in html
    assert re.findall(r'<tr id="agent-(\w+)" data-recommended="(\w+)"', html) == [
        ("A001", "demote"), ("A002", "promote"), ("A003", "termination_review"),
        ("A004", "promote")]
    assert "text-bg-danger" in row(html, "A003") and "termination" in row(html, "A003")
    assert "15.5" in row(html, "A001") and 'name="outcome"' in row(html, "A001")
    assert count(html, "undecided") == "4" and 'id="decide-all"' in html


def test_decide_one_then_all_from_the_page(client, assessed):
    sales = signed_in(client, assessed.users.sales)
    refused = sales.post(reverse("assessments-decide"), {
        "agent": "A001", "period": "2026H1", "outcome": "promote", "unit": "GZ"}, follow=True)
    assert "not allowed for agent A001" in refused.content.decode()
    done = sales.post(reverse("assessments-decide"), {
        "agent": "A002", "period": "2026H1", "outcome": "maintain", "note": "产能未达",
        "unit": "GZ", "page": "1"})
    assert done.status_code == 302 and done["Location"] == f"{LIST}?period=2026H1&unit=GZ&page=1"
    html = sales.get(LIST, {"unit": "GZ"}).content.decode()
    assert 'data-decided="maintain"' in row(html, "A002") and "A004" not in html
    assert (count(html, "maintain"), count(html, "undecided")) == ("1", "2")
    sales.post(reverse("assessments-decide-all"), {"period": "2026H1", "unit": "GZ"})
    assert dict(RankDecision.objects.values_list("agent__code", "outcome")) == {
        "A001": "demote", "A002": "maintain", "A003": "termination_review"}
    assert (rank_of("A001"), rank_of("A004")) == ("业务员", "业务员")  # A004: SZ, untouched
    html = sales.get(LIST, {"unit": "GZ"}).content.decode()
    assert count(html, "undecided") == "0" and 'id="decide-all"' not in html


def test_a_manager_reads_his_subtree(client, assessed):
    manager = signed_in(client, assessed.users.manager)
    html = manager.get(LIST).content.decode()
    assert re.findall(r'<tr id="agent-(\w+)"', html) == ["A001", "A002"]
    assert 'name="outcome"' not in html and 'id="decide-all"' not in html
    post = manager.post(reverse("assessments-decide"), {
        "agent": "A001", "period": "2026H1", "outcome": "demote", "unit": "T1"}, follow=True)
    assert "may not decide ranks" in post.content.decode()
    assert not RankDecision.objects.exists()


def test_other_branches_and_roles(client, assessed, django_user_model):
    other = django_user_model.objects.create(username="sales_sz", role=Role.SALES_ADMIN,
                                             unit=assessed.units["SZ"])
    c = signed_in(client, other)
    html = c.get(LIST).content.decode()
    assert re.findall(r'<tr id="agent-(\w+)"', html) == ["A004"]
    assert c.get(LIST, {"unit": "GZ"}).status_code == 404
    assert c.get(reverse("agent-detail", args=["A001"])).status_code == 404
    assert c.post(reverse("assessments-decide"), {
        "agent": "A001", "period": "2026H1", "outcome": "demote"}).status_code == 404
    assert signed_in(client, assessed.users.officer).get(LIST).status_code == 302  # not his


def test_a_half_year_not_ended_is_read_only(client, assessed):
    html = signed_in(client, assessed.users.sales).get(LIST, {"period": "2026H2"})
    html = html.content.decode()
    assert "has not ended" in html and 'name="outcome"' not in html


def test_the_agent_panel(client, assessed):
    sales = signed_in(client, assessed.users.sales)
    page = sales.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="rank-decisions"' in page and 'data-outcome="demote"' in page
    sales.post(reverse("assessments-decide"), {"agent": "A001", "period": "2026H1",
                                               "outcome": "termination_review"})
    page = signed_in(client, assessed.users.manager).get(
        reverse("agent-detail", args=["A001"])).content.decode()
    assert 'id="rank-recommended"' not in page
    assert re.search(r'data-period="2026H1">2026H1 · <span[^>]*>termination review', page)
    assert "(recommended demote)" in page
    own = signed_in(client, assessed.users.agent).get(reverse("agent-detail", args=["A001"]))
    assert 'id="rank-decisions"' in own.content.decode()
    officer = signed_in(client, assessed.users.officer).get(
        reverse("agent-detail", args=["A001"]))
    assert 'id="rank-decisions"' not in officer.content.decode()
