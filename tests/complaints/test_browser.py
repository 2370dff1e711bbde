"""A complaint in a real browser (issue 8): the callback operator receives it, the branch
quality officer extends it once (the customer told) and decides it, finding misleading
sales; he confirms the case it drafted, and the agent sees its points on his phone."""

import datetime as dt

import pytest

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

pytestmark = [pytest.mark.browser, LIVE_DB]


def _session(browser, base_url, username, **options):
    page = browser.new_context(locale="zh-CN", **options).new_page()
    sign_in(page, base_url, username)
    return page


def test_received_extended_decided_and_the_points_reach_the_agent(live_server, browser,
                                                                  screenshots):
    from django.utils import timezone
    from playwright.sync_api import expect

    build_company()
    base, today = live_server.url, timezone.localdate()
    received = today - dt.timedelta(days=3)

    operator = _session(browser, base, "operator", viewport={"width": 1280, "height": 900})
    operator.goto(f"{base}/complaints/new/")
    operator.fill("#id_received_on", received.isoformat())
    operator.fill("#id_policy_no", "P1")
    operator.fill("#id_complainant", "陈静")
    operator.fill("#id_summary", "业务员称产品保本保息，与合同不符")
    operator.click("#btn-save")
    expect(operator.locator("#complaint-state")).to_have_attribute("data-state", "open")
    number = operator.locator("h1 .font-monospace").inner_text()

    officer = _session(browser, base, "officer", viewport={"width": 1280, "height": 900})
    officer.goto(f"{base}/complaints/{number}/")
    expect(officer.locator("#complaint-due")).to_have_text(
        (received + dt.timedelta(days=15)).isoformat())
    officer.fill("#id_extend-reason", "需调取销售录音")
    officer.click("#extend-form-save")
    expect(officer.locator("#complaint-extensions li")).to_have_count(1)
    expect(officer.locator("#complaint-due")).to_have_text(
        (received + dt.timedelta(days=30)).isoformat())
    officer.check("#id_decide-upheld")
    officer.fill("#id_decide-decision", "投诉属实，业务员销售误导，已为客户办理退保")
    officer.select_option("#id_decide-violation_code", "misleading_sales")
    officer.click("#decide-form-save")
    expect(officer.locator("#complaint-state")).to_have_attribute("data-state", "decided")
    officer.screenshot(path=str(screenshots / "complaint-decided.png"), full_page=True)
    officer.click("#complaint-case")
    officer.click("#btn-confirm")
    expect(officer.locator("#case-status")).to_have_attribute("data-status", "confirmed")

    agent = _session(browser, base, "agent", viewport={"width": 390, "height": 844},
                     is_mobile=True)
    agent.goto(f"{base}/quality/me/")
    expect(agent.locator("#score-current .pz-points")).to_have_text("10.0")
