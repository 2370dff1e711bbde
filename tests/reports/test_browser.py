"""The dashboard in a real browser: from head office down the tree to a team, its agent,
and one of his policies; the chart drawn by the locally served ECharts."""

import datetime as dt

import pytest

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company, make_policy

pytestmark = [pytest.mark.browser, LIVE_DB]


def test_drill_down_from_head_office_to_a_policy(live_server, browser, screenshots):
    from django.utils import timezone
    from playwright.sync_api import expect

    company = build_company()
    today = timezone.localdate()
    make_policy("D1", company.agents["A001"], company.products["TRAD10"],
                applicant_phone="13955550001", printed_on=today.replace(day=1),
                effective_on=today.replace(day=1), signed_on=today.replace(day=1)
                - dt.timedelta(days=3))
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/indicators/?unit=HQ")
    expect(page.locator("#board-chart svg")).to_be_visible()
    page.screenshot(path=str(screenshots / "indicators-hq.png"), full_page=True)
    for code in ("GD", "GZ", "GZ01", "T1"):
        page.click(f'#board-children a[data-unit="{code}"]')
        expect(page.locator("#board-unit")).to_have_attribute("data-unit", code)
    expect(page.locator('#board-figures tr[data-indicator="policies"] td').nth(1)).to_have_text("1")
    page.screenshot(path=str(screenshots / "indicators-team.png"), full_page=True)
    page.click('#board-agents a[data-agent="A001"]')
    page.wait_for_url(f"{live_server.url}/agents/A001/")
    page.click('a[href="/policies/D1/"]')
    page.wait_for_url(f"{live_server.url}/policies/D1/")
    expect(page.locator("body")).to_contain_text("D1")
