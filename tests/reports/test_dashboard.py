"""The indicators dashboard: a unit's figures against its objectives, its children to
drill into, a team's agents ranked; through the user's scope."""

import datetime as dt

import time_machine
from django.test import Client

JANUARY = "from=2026-01-01&to=2026-01-31"


def signed_in(company, username):
    c = Client()
    c.force_login(getattr(company.users, username))
    c.cookies["django_language"] = "en"
    return c


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_drill_down_from_the_branch_to_a_team(january):
    officer = signed_in(january, "hq")
    page = officer.get(f"/indicators/?unit=GD&{JANUARY}").content.decode()
    assert 'data-unit="GD"' in page
    assert 'data-unit="GZ"' in page and 'data-unit="SZ"' in page  # its children
    assert '<tr data-indicator="callback_success_rate"><td>Callback success</td>' in page
    team = officer.get(f"/indicators/?unit=T1&{JANUARY}").content.decode()
    assert 'id="board-agents"' in team and 'data-agent="A001"' in team
    assert "/agents/A001/" in team  # on to the agent, and from there his policies


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_scope(january):
    assert signed_in(january, "officer_sz").get("/indicators/?unit=GZ").status_code == 404
    assert signed_in(january, "agent").get("/indicators/").status_code == 403
    own = signed_in(january, "officer_sz").get("/indicators/").content.decode()
    assert 'data-unit="SZ"' in own  # his own unit by default


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_promotion_page_lists_the_agents_in_scope(january):
    page = signed_in(january, "officer").get("/indicators/promotion/?period=2026H1")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="promotion"' in html
    assert 'data-agent="A001"' in html and 'data-agent="A004"' not in html  # GZ's only
    assert signed_in(january, "agent").get("/indicators/promotion/").status_code == 403
