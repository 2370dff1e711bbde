"""The pages in a real browser: Debian's Chromium driven by Playwright (sync API).

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure: a silently skipped browser test proves nothing.
"""

import pytest

from pinzhi.core.models import Event
from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

pytestmark = [pytest.mark.browser, LIVE_DB]
APPLICANT_ID = "440104197001010011"
APPLICANT_PHONE = "13912345678"


def test_officer_sees_masked_policy_and_switches_language(
    live_server, transactional_db, browser, screenshots
):
    from playwright.sync_api import expect

    build_company()
    # A Chinese browser: the language comes from Accept-Language until the user switches.
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, live_server.url, "officer")
    # The overview's chart: the vendored ECharts is served and draws (SVG renderer).
    expect(page.locator("#chart-months svg")).to_be_visible()
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)

    page.goto(f"{live_server.url}/policies/P1/")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#policy-applicant_id_number")).to_contain_text("440104********0011")
    expect(page.locator("#policy-applicant_phone")).to_contain_text("139****5678")
    html = page.content()
    assert APPLICANT_ID not in html and APPLICANT_PHONE not in html
    page.screenshot(path=str(screenshots / "policy.png"), full_page=True)

    page.click("#lang-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Applicant ID number", exact=True)).to_be_visible()
    expect(page.get_by_text("Annualised premium", exact=True)).to_be_visible()
    assert APPLICANT_PHONE not in page.content()
    page.screenshot(path=str(screenshots / "policy-en.png"), full_page=True)

    # The reveal button (htmx): the full value replaces the masked one, and is logged.
    page.locator("#policy-applicant_phone button").click()
    expect(page.locator("main")).to_contain_text(APPLICANT_PHONE)
    assert Event.objects.filter(action="unmask", key="P1", data__field="applicant_phone").exists()


def test_agent_home_on_a_phone(live_server, transactional_db, browser, screenshots):
    from playwright.sync_api import expect

    build_company()
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    sign_in(page, live_server.url, "agent")
    expect(page.locator("main")).to_contain_text("张伟")
    card = page.locator('main a[href="/policies/P1/"]')
    expect(card).to_be_visible()
    # Nothing wider than the screen: the page must not scroll sideways on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=str(screenshots / "agent-home.png"), full_page=True)
    card.click()
    expect(page.locator("#policy-applicant_phone")).to_contain_text("139****5678")
    page.screenshot(path=str(screenshots / "agent-policy.png"), full_page=True)
