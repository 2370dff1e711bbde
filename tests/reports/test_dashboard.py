"""The indicators dashboard: a unit's figures against its objectives, its children to
drill into, a team's agents ranked; through the user's scope."""

import datetime as dt
from decimal import Decimal

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


def test_agents_rank_by_callback_success_and_nothing_due_comes_last():
    from pinzhi.reports.dashboard import Row, _rank

    rows = [Row(code, code, "", {"callback_success_rate": rate}) for code, rate in
            (("A1", None), ("A2", Decimal("0")), ("A3", Decimal("0.5")), ("A0", None))]
    assert [r.code for r in sorted(rows, key=_rank)] == ["A3", "A2", "A0", "A1"]


def test_the_day_of_a_cooling_off_cancellation():
    from pinzhi.policies.models import cooling_off_cancelled_on

    told = dt.datetime(2026, 3, 15, 17, tzinfo=dt.UTC)  # 16 March in Shanghai
    assert cooling_off_cancelled_on("in_force", dt.date(2026, 3, 1), told) is None
    assert cooling_off_cancelled_on("cooling_off_cancelled", dt.date(2026, 3, 10),
                                    told) == dt.date(2026, 3, 10)
    assert cooling_off_cancelled_on("cooling_off_cancelled", None, told) == dt.date(2026, 3, 16)


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_previous_period_and_the_trend_by_month(january):
    import json
    import re

    page = signed_in(january, "hq").get("/indicators/?unit=GZ&from=2026-02&to=2026-02")
    html = page.content.decode()
    row = re.search(r'<tr data-indicator="callback_success_rate">.*?</tr>', html, re.S).group()
    assert "<td class=\"text-end text-body-secondary\" data-previous>0.6667" in row  # January
    assert ">—</td>" in row  # February: nothing printed
    chart = json.loads(re.search(r'id="board-data" type="application/json">(.*?)</script>',
                                 html, re.S).group(1))
    assert chart["months"][-1] == "2026-02" and chart["months"][0] == "2025-03"
    assert chart["trend"][0][chart["months"].index("2026-01")] == 0.6667  # success, January
    assert 'id="board-as-of"' in html and "2026-06-01 17:00" in html  # the snapshot's moment


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_page_shows_its_snapshot_until_the_next_evaluation(january):
    from django.core.management import call_command

    from tests.factories import make_policy

    officer = signed_in(january, "hq")

    def policies() -> str:
        html = officer.get(f"/indicators/?unit=T1&{JANUARY}").content.decode()
        return html.split('<tr data-indicator="policies"><td>Policies</td>', 1)[1].split(
            "</td>", 1)[0]

    assert policies().endswith(">2")
    make_policy("J9", january.agents["A001"], january.products["TRAD10"],
                applicant_phone="13911110009", printed_on=dt.date(2026, 1, 9),
                effective_on=dt.date(2026, 1, 8), signed_on=dt.date(2026, 1, 2))
    assert policies().endswith(">2")  # as of the snapshot
    call_command("evaluate", stdout=None)  # the figures are recent: kept
    assert policies().endswith(">2")
    call_command("evaluate", "--figures", stdout=None)
    assert policies().endswith(">3")


def test_months_asked_for_stay_within_the_snapshot():
    from pinzhi.reports.dashboard import months_within
    from pinzhi.reports.models import FigureSnapshot

    snap = FigureSnapshot(first_month=dt.date(2025, 1, 1), last_month=dt.date(2026, 6, 1))
    d = dt.date
    assert months_within(snap, None, None) == [d(2026, 6, 1)]
    assert months_within(snap, d(2026, 4, 15), d(2026, 5, 2)) == [d(2026, 4, 1), d(2026, 5, 1)]
    assert months_within(snap, d(2020, 1, 1), d(2025, 2, 1)) == [d(2025, 1, 1), d(2025, 2, 1)]
    assert months_within(snap, d(2026, 5, 1), d(2030, 1, 1)) == [d(2026, 5, 1), d(2026, 6, 1)]
    assert months_within(snap, d(2026, 5, 1), d(2026, 3, 1)) == [d(2026, 3, 1)]


@time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_promotion_page_goes_a_page_of_agents_at_a_time(january, monkeypatch):
    from pinzhi.reports import views

    monkeypatch.setattr(views, "PAGE", 2)
    hq = signed_in(january, "hq")
    first = hq.get("/indicators/promotion/?period=2026H1").content.decode()
    second = hq.get("/indicators/promotion/?period=2026H1&page=2").content.decode()
    assert first.count("<tr data-agent=") == 2 and second.count("<tr data-agent=") == 2
    assert 'data-agent="A001"' in first and 'data-agent="A004"' in second
    assert "1 / 2" in first and 'id="promotion-as-of"' in first
