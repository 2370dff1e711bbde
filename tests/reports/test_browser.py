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
    expect(page.locator("#board-trend svg")).to_be_visible()  # the trend by month
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


def test_the_other_dashboards(live_server, browser, screenshots):
    """The promotion and maintenance feed, the evaluation report from the dashboard's
    form, and the agent's home page on a phone."""
    from playwright.sync_api import expect

    build_company()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, live_server.url, "hq")
    page.goto(f"{live_server.url}/indicators/?unit=GD")
    with page.expect_popup() as popup:
        page.click("#report-form button")
    report = popup.value
    report.wait_for_load_state()
    assert "/indicators/report.pdf?unit=GD&period=" in report.url
    response = page.request.get(report.url)
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    page.goto(f"{live_server.url}/indicators/promotion/")
    expect(page.locator("#promotion")).to_be_visible()
    page.screenshot(path=str(screenshots / "indicators-promotion.png"), full_page=True)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    sign_in(phone, live_server.url, "agent")
    phone.goto(f"{live_server.url}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # one screen wide: no sideways scrolling
    phone.screenshot(path=str(screenshots / "agent-home.png"), full_page=True)
