"""The quality pages in a real browser (Debian's Chromium, Playwright's sync API): an
officer confirms a draft case; the agent sees his points and appeals; another officer
overturns it; the agent's points drop.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import pytest
from django.utils import timezone

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

# The catalogue is seeded by a migration: a transactional test's flush would drop it for
# the tests after, so the database is serialised and restored around each one.
pytestmark = [pytest.mark.browser, LIVE_DB]


def _session(browser, base_url, username, **options):
    """A fresh browser context (its own cookies), signed in."""
    page = browser.new_context(locale="zh-CN", **options).new_page()
    sign_in(page, base_url, username)
    return page


def test_confirm_appeal_overturn(live_server, browser, screenshots):
    from playwright.sync_api import expect

    from pinzhi.quality.services import case_draft

    company = build_company()
    case = case_draft(agent=company.agents["A001"], violation_code="misleading_sales",
                      occurred_on=timezone.localdate(), source="complaint",
                      by=company.users.officer, policy=company.policies["P1"],
                      evidence="客户投诉：销售时称“保本保息”")
    base = live_server.url

    # The officer finds the draft in his queue and confirms it.
    officer = _session(browser, base, "officer", viewport={"width": 1280, "height": 900})
    officer.goto(f"{base}/quality/")
    expect(officer.locator("#count-drafts")).to_have_text("1")
    officer.click(f"#case-{case.case_no} a")
    officer.click("#btn-confirm")
    expect(officer.locator("#case-status")).to_have_attribute("data-status", "confirmed")
    officer.screenshot(path=str(screenshots / "quality-case.png"), full_page=True)

    # The agent, on his phone, sees 10.0 points this half-year, and appeals.
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    agent = _session(browser, base, "agent", **phone)
    agent.goto(f"{base}/quality/me/")
    current = agent.locator("#score-current .pz-points")
    expect(current).to_have_text("10.0")
    card = agent.locator(f"#case-{case.case_no}")
    card.locator("summary").click()
    card.locator("textarea[name=reason]").fill("已向客户说明产品并非保本，录音可证")
    agent.screenshot(path=str(screenshots / "quality-me.png"), full_page=True)
    card.locator(".btn-appeal").click()
    agent.wait_for_url(f"{base}/quality/me/")
    expect(agent.locator(f"#case-{case.case_no} .badge")).to_have_attribute(
        "class", "badge text-bg-warning")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 390

    # The confirming officer may not decide; head office overturns.
    officer.goto(f"{base}/quality/cases/{case.case_no}/")
    expect(officer.locator("#confirmer-note")).to_be_visible()
    expect(officer.locator("#btn-overturn")).to_have_count(0)
    hq = _session(browser, base, "hq", viewport={"width": 1280, "height": 900})
    hq.goto(f"{base}/quality/cases/{case.case_no}/")
    hq.fill("#decide-form input[name=note]", "录音证明已如实说明")
    hq.click("#btn-overturn")
    expect(hq.locator("#case-status")).to_have_attribute("data-status", "overturned")

    # The agent's points drop.
    agent.goto(f"{base}/quality/me/")
    expect(current).to_have_text("0.0")
    agent.screenshot(path=str(screenshots / "quality-me-after.png"), full_page=True)


def test_staff_pages(live_server, browser, screenshots):
    """The queue (an overdue case stands out), the scores, the catalogue, the team."""
    import datetime as dt

    from playwright.sync_api import expect

    from pinzhi.quality.services import case_confirm, case_draft

    company = build_company()
    overdue = case_draft(agent=company.agents["A001"], violation_code="misleading_sales",
                         occurred_on=dt.date(2026, 3, 12), source="callback",
                         by=company.users.operator, found_on=dt.date(2026, 3, 13))
    other = case_draft(agent=company.agents["A003"], violation_code="benefit_promised",
                       occurred_on=dt.date(2026, 9, 1), source="audit", by=company.users.hq)
    case_confirm(case=other, by=company.users.officer)
    base, wide = live_server.url, {"viewport": {"width": 1280, "height": 900}}

    officer = _session(browser, base, "officer", **wide)
    officer.goto(f"{base}/quality/")
    expect(officer.locator(f"#queue-due #case-{overdue.case_no} .pz-overdue")).to_be_visible()
    officer.screenshot(path=str(screenshots / "quality-queue.png"), full_page=True)

    hq = _session(browser, base, "hq", **wide)
    hq.goto(f"{base}/quality/scores/2026H2/")
    expect(hq.locator("#score-A003 .badge")).to_have_class("badge text-bg-danger")
    hq.screenshot(path=str(screenshots / "quality-scores.png"), full_page=True)
    hq.goto(f"{base}/quality/catalogue/")
    expect(hq.locator("#type-documents_overdue")).to_be_visible()
    hq.screenshot(path=str(screenshots / "quality-catalogue.png"), full_page=True)

    manager = _session(browser, base, "manager", **wide)
    manager.goto(f"{base}/quality/team/?period=2026H1")
    expect(manager.locator("#team-per-agent")).to_have_text("0.0")
    manager.screenshot(path=str(screenshots / "quality-team.png"), full_page=True)
