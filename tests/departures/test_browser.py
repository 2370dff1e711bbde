"""A departure in a real browser (issue 8): sales administration opens the agents' affairs
menu, records that A001 left with A002 servicing his policies, tells his policyholders,
and the task turns done; his own page shows the departure beside his record."""

import datetime as dt

import pytest

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

pytestmark = [pytest.mark.browser, LIVE_DB]


def test_recorded_from_the_menu_and_the_policyholders_told(live_server, browser,
                                                            screenshots):
    from django.utils import timezone
    from playwright.sync_api import expect

    build_company()
    base, today = live_server.url, timezone.localdate()
    left_on = today - dt.timedelta(days=5)
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}
                               ).new_page()
    sign_in(page, base, "sales")

    page.click("#people-menu .dropdown-toggle")
    page.click("#people-menu a[href='/departures/']")
    expect(page.locator("#record-form")).to_be_visible()
    page.fill("#id_agent_code", "A001")
    page.fill("#id_left_on", left_on.isoformat())
    page.select_option("#id_reason", "resigned")
    page.fill("#id_servicing_agent_code", "A002")
    page.click("#record-form-save")

    notify = page.locator("#task-notify [data-task='notify']")
    expect(notify).to_have_attribute("data-state", "open")
    expect(notify).to_contain_text((left_on + dt.timedelta(days=30)).isoformat())
    expect(page.locator("#servicing-agent")).to_contain_text("A002")
    page.select_option("#id_how", "letter")
    page.click("#tell-all")
    expect(page.locator("#task-notify [data-task='notify']")).to_have_attribute(
        "data-state", "done")
    page.screenshot(path=str(screenshots / "departure.png"), full_page=True)

    page.goto(f"{base}/agents/A001/")
    expect(page.locator("#departure-panel")).to_contain_text("A002")
    page.goto(f"{base}/policies/P1/")
    expect(page.locator("#servicing-panel")).to_contain_text("A002")
