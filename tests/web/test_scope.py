"""Who sees which rows on the pages (rules §9): lists filter, details 404 outside scope."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ALL = {"P1", "P2", "P3", "P4"}

# user attribute of the company's users -> policies he may see
POLICY_SCOPE = {
    "admin": ALL,
    "hq": ALL,
    "system": ALL,
    "sales": ALL,  # GD branch
    "operator": ALL,  # GD branch
    "officer": {"P1", "P2", "P3"},  # GZ
    "clerk": {"P1", "P2", "P3"},  # GZ
    "officer_sz": {"P4"},
    "manager": {"P1", "P2"},  # T1
    "agent": {"P1"},  # A001
    "agent3": {"P3"},  # A003
}

AGENT_SCOPE = {
    "hq": {"A001", "A002", "A003", "A004"},
    "officer": {"A001", "A002", "A003"},
    "officer_sz": {"A004"},
    "manager": {"A001", "A002"},
    "agent": {"A001"},
}


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _listed(html, prefix, keys):
    return {k for k in keys if f'href="/{prefix}/{k}/"' in html}


@pytest.mark.parametrize("who", sorted(POLICY_SCOPE))
def test_policy_list_shows_only_the_users_policies(client, company, who):
    response = _get(client, getattr(company.users, who), reverse("policy-list"))
    assert response.status_code == 200
    assert _listed(response.content.decode(), "policies", ALL) == POLICY_SCOPE[who]


@pytest.mark.parametrize("who", sorted(POLICY_SCOPE))
def test_policy_detail_is_404_outside_scope(client, company, who):
    client.force_login(getattr(company.users, who))
    for no in sorted(ALL):
        status = client.get(reverse("policy-detail", args=[no])).status_code
        assert status == (200 if no in POLICY_SCOPE[who] else 404), no


@pytest.mark.parametrize("who", sorted(AGENT_SCOPE))
def test_agent_list_and_detail(client, company, who):
    user = getattr(company.users, who)
    response = _get(client, user, reverse("agent-list"))
    everyone = {"A001", "A002", "A003", "A004"}
    assert _listed(response.content.decode(), "agents", everyone) == AGENT_SCOPE[who]
    for code in sorted(everyone):
        status = client.get(reverse("agent-detail", args=[code])).status_code
        assert status == (200 if code in AGENT_SCOPE[who] else 404), code


def test_agent_guessing_another_agents_policy_gets_404(client, company):
    client.force_login(company.users.agent)
    assert client.get("/policies/P3/").status_code == 404
    assert client.get("/policies/NO-SUCH/").status_code == 404  # the same answer


def test_officer_sees_his_subtree_of_units(client, company):
    response = _get(client, company.users.officer, reverse("unit-list"))
    html = response.content.decode()
    assert _listed(html, "units", company.units) == {"GZ", "GZ01", "T1", "T2"}
    assert client.get(reverse("unit-detail", args=["SZ"])).status_code == 404
    assert client.get(reverse("unit-detail", args=["GD"])).status_code == 404


def test_unit_detail_breadcrumbs_children_and_agents(client, company):
    response = _get(client, company.users.officer, reverse("unit-detail", args=["GZ01"]))
    html = response.content.decode()
    assert 'href="/units/GZ/"' in html  # his own unit, an ancestor of GZ01
    assert 'href="/units/GD/"' not in html  # above his scope: not linked
    assert 'href="/units/T1/"' in html and 'href="/units/T2/"' in html
    assert _listed(html, "agents", ["A001", "A002", "A003", "A004"]) == {"A001", "A002", "A003"}


def test_agent_sees_no_units_and_his_own_record(client, company):
    client.force_login(company.users.agent)
    assert client.get(reverse("unit-detail", args=["T1"])).status_code == 404
    html = client.get(reverse("unit-list")).content.decode()
    assert 'href="/units/' not in html
    html = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert "天河一组" in html and 'href="/units/T1/"' not in html


def test_agent_home_lists_his_policies_only(client, company):
    html = _get(client, company.users.agent, reverse("home")).content.decode()
    assert _listed(html, "policies", ALL) == {"P1"}
    assert "张伟" in html


def test_staff_home_counts_what_is_in_scope(client, company):
    response = _get(client, company.users.officer, reverse("home"))
    assert response.context["units"] == 4
    assert response.context["agents"] == 3
    assert response.context["policies"] == 3


def test_products_are_public_to_any_signed_in_user(client, company):
    response = _get(client, company.users.agent, reverse("product-list"))
    html = response.content.decode()
    assert _listed(html, "products", company.products) == {"TRAD10", "ACC1", "UL1"}
    assert client.get(reverse("product-detail", args=["UL1"])).status_code == 200


def test_anonymous_is_sent_to_login(client, company):
    for url in ["/", "/policies/", "/policies/P1/", "/policies/P1/reveal/applicant_phone/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_navigation_fits_the_role(client, company):
    html = _get(client, company.users.agent, reverse("home")).content.decode()
    assert 'href="/units/"' not in html and 'href="/agents/"' not in html
    html = _get(client, company.users.officer, reverse("home")).content.decode()
    assert 'href="/units/"' in html and 'href="/agents/"' in html
