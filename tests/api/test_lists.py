"""Lists: filters, ordering, pagination, voided rows, and how values are written."""

import datetime as dt

import pytest
from django.utils import timezone

from pinzhi.policies.models import Policy
from tests.factories import make_policy

from .helpers import ALL_AGENTS, ALL_POLICIES, API, keys, sorted_keys

UTC = dt.UTC


@pytest.fixture
def admin(api_as):
    return api_as("admin")


def policy_keys(client, **query):
    return sorted_keys(client.get(f"{API}policies/", query), "policy_no")


# --- policies ---------------------------------------------------------------------


def test_policy_filters(admin, company):
    Policy.objects.filter(policy_no="P2").update(printed_on=dt.date(2026, 1, 19),
                                                 status="cooling_off_cancelled")
    Policy.objects.filter(policy_no="P3").update(printed_on=dt.date(2026, 3, 20))
    assert policy_keys(admin, agent="A001") == ["P1"]
    assert policy_keys(admin, product="TRAD10") == ["P1", "P4"]
    assert policy_keys(admin, status="cooling_off_cancelled") == ["P2"]
    assert policy_keys(admin, status="in_force") == ["P1", "P3", "P4"]
    assert policy_keys(admin, printed_from="2026-03-02") == ["P1", "P3", "P4"]
    assert policy_keys(admin, printed_to="2026-03-02") == ["P1", "P2", "P4"]
    assert policy_keys(admin, printed_from="2026-03-01", printed_to="2026-03-19") == ["P1", "P4"]
    assert policy_keys(admin, under="GZ") == ["P1", "P2", "P3"]
    assert policy_keys(admin, under="T1") == ["P1", "P2"]
    assert policy_keys(admin, under="SZ") == ["P4"]
    assert policy_keys(admin, under="NOWHERE") == []
    assert policy_keys(admin, search="p4") == ["P4"]
    assert policy_keys(admin, under="GZ", product="UL1") == ["P3"]


@pytest.mark.parametrize("query", [{"status": "bogus"}, {"printed_from": "2026-13-01"},
                                   {"ordering": "applicant_phone"}, {"include_voided": "maybe"}])
def test_bad_filter_values_are_400(admin, query):
    assert admin.get(f"{API}policies/", query).status_code == 400


def test_policy_ordering(admin, company):
    for no, fen in (("P1", 300), ("P2", 100), ("P3", 400), ("P4", 200)):
        Policy.objects.filter(policy_no=no).update(premium_fen=fen)
    assert keys(admin.get(f"{API}policies/", {"ordering": "premium"}), "policy_no") == [
        "P2", "P4", "P1", "P3"]
    assert keys(admin.get(f"{API}policies/", {"ordering": "-premium"}), "policy_no") == [
        "P3", "P1", "P4", "P2"]
    # Equal printed dates: the policy number breaks the tie, so pages are stable.
    assert keys(admin.get(f"{API}policies/", {"ordering": "-printed_on"}), "policy_no") == [
        "P1", "P2", "P3", "P4"]
    assert keys(admin.get(f"{API}policies/", {"ordering": "-agent"}), "policy_no") == [
        "P4", "P3", "P2", "P1"]


def test_money_dates_and_timestamps(admin, company):
    Policy.objects.filter(policy_no="P2").update(
        commission_fen=5, premium_fen=123_456_789,
        created_at=dt.datetime(2026, 3, 2, 2, 15, tzinfo=UTC),
    )
    p1 = admin.get(f"{API}policies/P1/").json()
    assert (p1["premium"], p1["commission"]) == ("10000.00", "1200.00")
    assert (p1["signed_on"], p1["printed_on"], p1["effective_on"]) == (
        "2026-02-25", "2026-03-02", "2026-03-01")
    assert (p1["agent"], p1["agent_name"], p1["team"], p1["product"]) == (
        "A001", "张伟", "T1", "TRAD10")
    p2 = admin.get(f"{API}policies/P2/").json()
    assert (p2["premium"], p2["commission"]) == ("1234567.89", "0.05")
    assert p2["created_at"] == "2026-03-02T10:15:00+08:00"
    assert p1["voided_at"] is None and p1["voided_by"] is None and p1["void_reason"] == ""


# --- voided rows ------------------------------------------------------------------


def void(company, policy_no):
    Policy.objects.filter(policy_no=policy_no).update(
        voided_at=dt.datetime(2026, 3, 5, 1, 0, tzinfo=UTC), voided_by=company.users.hq,
        void_reason="recorded twice",
    )


def test_voided_rows_are_excluded_by_default(admin, company):
    void(company, "P2")
    assert policy_keys(admin) == ["P1", "P3", "P4"]
    assert admin.get(f"{API}policies/P2/").status_code == 404
    assert admin.get(f"{API}policies/P2/unmask/", {"field": "applicant_phone"}).status_code \
        == 404
    assert policy_keys(admin, include_voided="false") == ["P1", "P3", "P4"]


def test_include_voided_shows_void_fields(admin, company):
    void(company, "P2")
    assert policy_keys(admin, include_voided="true") == ALL_POLICIES
    p2 = admin.get(f"{API}policies/P2/", {"include_voided": "true"}).json()
    assert p2["voided_at"] == "2026-03-05T09:00:00+08:00"
    assert (p2["voided_by"], p2["void_reason"]) == ("hq", "recorded twice")


def test_voided_agents_units_products(admin, company):
    now = timezone.now()
    company.agents["A003"].voided_at = now
    company.agents["A003"].save()
    company.units["T3"].voided_at = now
    company.units["T3"].save()
    company.products["UL1"].voided_at = now
    company.products["UL1"].save()
    assert "A003" not in keys(admin.get(f"{API}agents/"), "code")
    assert "T3" not in keys(admin.get(f"{API}units/"), "code")
    assert keys(admin.get(f"{API}products/"), "code") == ["ACC1", "TRAD10"]
    assert "UL1" in keys(admin.get(f"{API}products/?include_voided=1"), "code")


# --- agents, units, products --------------------------------------------------------


def agent_keys(client, **query):
    return sorted_keys(client.get(f"{API}agents/", query), "code")


def test_agent_filters(admin, company):
    company.agents["A003"].status = "terminated"
    company.agents["A003"].left_on = dt.date(2026, 1, 31)
    company.agents["A003"].save()
    assert agent_keys(admin, team="T1") == ["A001", "A002"]
    assert agent_keys(admin, under="GZ") == ["A001", "A002", "A003"]
    assert agent_keys(admin, under="SZ01") == ["A004"]
    assert agent_keys(admin, status="terminated") == ["A003"]
    assert agent_keys(admin, status="active") == ["A001", "A002", "A004"]
    assert agent_keys(admin, rank="业务员") == ["A001", "A004"]
    assert agent_keys(admin, search="张") == ["A001"]
    assert agent_keys(admin, search="a00") == ALL_AGENTS
    assert agent_keys(admin, search="A004") == ["A004"]
    assert keys(admin.get(f"{API}agents/", {"ordering": "-code"}), "code") == ALL_AGENTS[::-1]
    a3 = admin.get(f"{API}agents/A003/").json()
    assert (a3["team"], a3["team_name"], a3["left_on"]) == ("T2", "天河二组", "2026-01-31")


def unit_keys(client, **query):
    return sorted_keys(client.get(f"{API}units/", query), "code")


def test_unit_filters(admin):
    assert unit_keys(admin, level="team") == ["T1", "T2", "T3"]
    assert unit_keys(admin, parent="GZ01") == ["T1", "T2"]
    assert unit_keys(admin, under="SZ") == ["SZ", "SZ01", "T3"]
    assert unit_keys(admin, under="SZ", level="team") == ["T3"]
    # Units come in tree order (by path) unless asked otherwise.
    assert keys(admin.get(f"{API}units/"), "code") == [
        "HQ", "GD", "GZ", "GZ01", "T1", "T2", "SZ", "SZ01", "T3"]
    gz = admin.get(f"{API}units/GZ/").json()
    assert (gz["parent"], gz["path"], gz["level"]) == ("GD", "/HQ/GD/GZ/", "subbranch")
    assert admin.get(f"{API}units/HQ/").json()["parent"] is None


def test_product_filters(admin):
    def product_keys(**query):
        return keys(admin.get(f"{API}products/", query), "code")

    assert product_keys(kind="accident") == ["ACC1"]
    assert product_keys(long_term="false") == ["ACC1"]
    assert product_keys(long_term="true") == ["TRAD10", "UL1"]
    assert product_keys(ordering="-code") == ["UL1", "TRAD10", "ACC1"]
    ul1 = admin.get(f"{API}products/UL1/").json()
    assert (ul1["kind"], ul1["long_term"], ul1["cooling_off_days"]) == (
        "unit_linked", True, 15)


# --- pagination ---------------------------------------------------------------------


@pytest.fixture
def many_policies(company):
    """556 more policies of A001 (560 in all), built in one statement."""
    template = make_policy("X00000", company.agents["A001"], company.products["TRAD10"])
    rows = []
    for i in range(1, 556):
        template.pk, template.policy_no = None, f"X{i:05d}"
        rows.append(Policy(**{f.attname: getattr(template, f.attname)
                              for f in Policy._meta.concrete_fields}))
    Policy.objects.bulk_create(rows)


def test_pagination(admin, many_policies):
    first = admin.get(f"{API}policies/").json()
    assert first["count"] == 560
    assert len(first["results"]) == 50
    assert first["previous"] is None and "page=2" in first["next"]
    last = admin.get(f"{API}policies/", {"page": 12}).json()
    assert len(last["results"]) == 10 and last["next"] is None
    assert admin.get(f"{API}policies/", {"page": 13}).status_code == 404
    assert len(admin.get(f"{API}policies/", {"page_size": 7}).json()["results"]) == 7
    # The page size is capped at 500.
    assert len(admin.get(f"{API}policies/", {"page_size": 1000}).json()["results"]) == 500


def test_pages_cover_every_row_once(admin, many_policies):
    seen = []
    for page in (1, 2):
        seen += keys(admin.get(f"{API}policies/", {"page": page, "page_size": 280,
                                                   "ordering": "printed_on"}), "policy_no")
    assert len(seen) == len(set(seen)) == 560


def test_pagination_respects_scope(api_as, many_policies):
    # The agent sees his 557 policies (P1 and the new ones), not A003's or A004's.
    assert api_as("agent").get(f"{API}policies/").json()["count"] == 557
    assert api_as("officer_sz").get(f"{API}policies/").json()["count"] == 1
