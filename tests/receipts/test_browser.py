"""The clerk's registration page in a real browser (Debian's Chromium, Playwright's sync
API): five receipts registered in a row by the keyboard alone (type the number, Enter),
and neither the list of receipts still owed nor the agent's page of what he owes lists
them any more.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import datetime as dt

import pytest

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company, make_policy

pytestmark = [pytest.mark.browser, LIVE_DB]

NUMBERS = ["B1", "B2", "B3", "B4", "B5"]


def test_a_clerk_registers_five_receipts_by_keyboard(live_server, browser, screenshots):
    from django.utils import timezone
    from playwright.sync_api import expect

    from pinzhi.receipts.models import Receipt

    company = build_company()
    today = timezone.localdate()
    for n, (no, agent) in enumerate(zip(NUMBERS, ["A001", "A002", "A003", "A001", "A002"],
                                        strict=True)):
        effective = today - dt.timedelta(days=30 + 40 * n)  # some on time, some late
        make_policy(no, company.agents[agent], company.products["TRAD10"],
                    signed_on=effective - dt.timedelta(days=10),
                    printed_on=effective - dt.timedelta(days=5), effective_on=effective)
    base = live_server.url
    page = browser.new_context(locale="zh-CN",
                               viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, "clerk")
    page.goto(f"{base}/receipts/list/")
    for no in NUMBERS:
        expect(page.locator(f'#receipts-table tr[data-policy="{no}"]')).to_have_count(1)
    agent = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True).new_page()  # A001 on his phone
    sign_in(agent, base, "agent")
    agent.goto(f"{base}/owed/")
    for no in ("B1", "B4"):
        expect(agent.locator(f'#owed-list li[data-key="{no}"]')).to_have_count(1)

    page.goto(f"{base}/receipts/")
    for count, no in enumerate(NUMBERS, start=1):
        expect(page.locator("#policy-no")).to_be_focused()
        expect(page.locator("#policy-no")).to_have_value("")
        page.keyboard.type(no)
        page.keyboard.press("Enter")
        expect(page.locator("#registered li")).to_have_count(count)
        expect(page.locator("#registered li").first).to_have_attribute("data-policy", no)
    expect(page.locator("#policy-no")).to_be_focused()
    page.screenshot(path=str(screenshots / "receipts-register.png"), full_page=True)

    # A wrong number: the reason, the number kept, the focus kept, nothing registered.
    page.keyboard.type("NOPE")
    page.keyboard.press("Enter")
    expect(page.locator("#register-error")).to_contain_text("NOPE")
    expect(page.locator("#policy-no")).to_be_focused()
    expect(page.locator("#registered li")).to_have_count(5)

    assert Receipt.objects.filter(policy__policy_no__in=NUMBERS,
                                  collected_on=today).count() == 5
    lates = [page.locator(f'#registered li[data-policy="{no}"]').get_attribute("data-late")
             for no in NUMBERS]
    assert lates == ["false", "false", "true", "true", "true"]  # deadline ~ +91 days
    page.goto(f"{base}/receipts/list/")
    for no in NUMBERS:
        expect(page.locator(f'tr[data-policy="{no}"]')).to_have_count(0)
    expect(page.locator('tr[data-policy="P1"]')).to_have_count(1)
    agent.goto(f"{base}/owed/")
    for no in ("B1", "B4"):
        expect(agent.locator(f'#owed-list li[data-key="{no}"]')).to_have_count(0)
    expect(agent.locator('#owed-list li[data-key="P1"]')).to_have_count(1)
    agent.screenshot(path=str(screenshots / "owed-agent.png"), full_page=True)
