"""Who reaches which settlement page (rules §9): staff who read settlements see the
branch's months and the agents of their subtree; an agent sees only his own statement;
everyone else's is a 404, and the branch pages are a 403 for roles that do not read them."""

import pytest

from .conftest import signed_in

BRANCH_PAGES = ["/settlement/", "/settlement/2026-02/", "/settlement/adjustments/"]


@pytest.mark.parametrize("url", BRANCH_PAGES)
@pytest.mark.parametrize("who", ["agent", "clerk", "operator"])
def test_the_branch_pages_are_closed_to_roles_that_do_not_read_settlements(
        client, february, examples, url, who):
    assert signed_in(client, getattr(examples.users, who)).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/settlement/compute/", "/settlement/2026-02/1/close/",
                                 "/settlement/2026-02/1/discard/"])
def test_an_agent_cannot_post_to_the_branch_actions(client, examples, url):
    c = signed_in(client, examples.users.agent)
    assert c.post(url, {"month": "2026-02"}).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, examples):
    for url in [*BRANCH_PAGES, "/settlement/me/", "/settlement/me/2026-02/statement.pdf"]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_not_a_month_is_a_404(client, examples):
    c = signed_in(client, examples.users.sales)
    assert c.get("/settlement/2026-13/").status_code == 404
    assert c.get("/settlement/26-02/").status_code == 404


def agents_listed(html: str) -> set[str]:
    return {code for code in ("A001", "A002", "A003", "A004")
            if f'data-agent="{code}"' in html}


@pytest.mark.parametrize("who, seen", [
    ("admin", {"A001", "A003", "A004"}),
    ("sales", {"A001", "A003", "A004"}),  # GD, the branch
    ("officer", {"A001", "A003"}),  # GZ: not Shenzhen's A004
    ("manager", {"A001"}),  # T1: his team (A002, himself, has no line)
])
def test_the_month_lists_only_the_agents_in_scope(client, february, examples, who, seen):
    html = signed_in(client, getattr(examples.users, who)).get(
        "/settlement/2026-02/").content.decode()
    assert agents_listed(html) == seen


def test_the_month_totals_and_an_agents_row_in_yuan(client, february, examples):
    html = signed_in(client, examples.users.manager).get("/settlement/2026-02/").content.decode()
    row = html[html.index('data-agent="A001"'):]
    row = row[:row.index("</tr>")]
    for column, value in [("accrued", "3,835.50"), ("paid", "1,600.00"),
                          ("forfeited", "900.00"), ("withheld", "1,335.50"),
                          ("net", "1,600.00")]:
        assert f'data-column="{column}">{value}<' in row, column
    assert "天河一组" in row and "张伟" in row
    totals = html[html.index('id="totals"'):]
    assert "¥3,835.50" in totals  # only his team: A001's month is the team's


def test_a_branch_settlement_shows_to_a_subbranch_without_its_totals(client, february,
                                                                     examples):
    """GZ's officer sees that February was computed for GD (his month's status), but not
    the branch's totals, which hold Shenzhen's agents."""
    html = signed_in(client, examples.users.officer).get("/settlement/").content.decode()
    assert 'data-month="2026-02" data-scope="GD" data-status="draft"' in html
    assert "Settled for a wider scope than yours" in html
    sales = signed_in(client, examples.users.sales).get("/settlement/").content.decode()
    assert "Settled for a wider scope" not in sales
    assert "2,035.50" in sales and "2,035.50" not in html  # GD's withheld, with F4 in SZ


def test_statement_pages_of_an_agent(client, february, examples):
    agent = signed_in(client, examples.users.agent)
    assert agent.get("/settlement/me/").status_code == 200
    assert agent.get("/settlement/me/2026-02/").status_code == 200
    assert agent.get("/settlement/2026-02/agents/A001/").status_code == 200  # himself
    for url in ["/settlement/2026-02/agents/A003/", "/settlement/2026-02/agents/A002/",
                "/settlement/2026-02/agents/A003/statement.pdf",
                "/settlement/me/2026-03/"]:  # not settled
        assert agent.get(url).status_code == 404, url
    other = signed_in(client, examples.users.agent3)  # A003
    assert other.get("/settlement/2026-02/agents/A001/").status_code == 404
    assert other.get("/settlement/2026-02/agents/A001/statement.pdf").status_code == 404
    assert "F3" in other.get("/settlement/me/2026-02/").content.decode()


def test_a_manager_reads_his_team_and_has_his_own_statement(client, february, examples):
    manager = signed_in(client, examples.users.manager)  # T1, and agent A002
    assert manager.get("/settlement/2026-02/agents/A001/").status_code == 200
    assert manager.get("/settlement/2026-02/agents/A001/statement.pdf").status_code == 200
    assert manager.get("/settlement/2026-02/agents/A003/").status_code == 404  # T2
    assert manager.get("/settlement/me/").status_code == 200


def test_a_clerk_in_scope_still_cannot_read_an_agents_month(client, february, examples):
    clerk = signed_in(client, examples.users.clerk)  # GZ, but no settlement role
    assert clerk.get("/settlement/2026-02/agents/A001/").status_code == 404
    assert clerk.get("/settlement/me/").status_code == 404  # not an agent


def test_the_menu_offers_what_each_may_open(client, examples):
    agent = signed_in(client, examples.users.agent).get("/").content.decode()
    assert 'href="/settlement/me/"' in agent and 'href="/settlement/"' not in agent
    assert "My statement" in agent
    sales = signed_in(client, examples.users.sales).get("/").content.decode()
    assert 'href="/settlement/"' in sales and 'href="/settlement/me/"' not in sales
    manager = signed_in(client, examples.users.manager).get("/").content.decode()
    assert 'href="/settlement/"' in manager and 'href="/settlement/me/"' in manager
    clerk = signed_in(client, examples.users.clerk).get("/").content.decode()
    assert "/settlement/" not in clerk


def test_a_long_month_is_paginated_and_its_totals_are_the_whole_months(
        client, february, examples, monkeypatch):
    from pinzhi.settlement import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    c = signed_in(client, examples.users.sales)
    first = c.get("/settlement/2026-02/").content.decode()
    second = c.get("/settlement/2026-02/?page=2").content.decode()
    assert agents_listed(first) == {"A001", "A003"} and agents_listed(second) == {"A004"}
    for html in (first, second):  # 1,335.50 + 400.00 + 300.00 withheld in the branch
        assert "¥2,035.50" in html[html.index('id="totals"'):]
