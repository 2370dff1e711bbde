"""The call screen in a real browser (Debian's Chromium, Playwright's sync API): an
operator takes the first policy of his queue and records a success whose answers reveal
a forged signature; the quality officer finds the drafted case.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

pytestmark = [pytest.mark.browser, LIVE_DB]

# Calls are made 09:00–21:00 Shanghai time; round 1 of the company's policies (printed
# 03-02) opened on 03-12 at 09:00. The clock ticks from here for the whole test, in the
# live server's thread too (it shares the process clock).
MOMENT = dt.datetime(2026, 3, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WIDE = {"viewport": {"width": 1280, "height": 1000}}


@pytest.fixture
def calling_hours():
    with time_machine.travel(MOMENT, tick=True):
        yield


def _session(browser, base_url, username):
    page = browser.new_context(locale="zh-CN", **WIDE).new_page()
    sign_in(page, base_url, username)
    return page


def test_a_forged_signature_found_in_a_callback_reaches_the_officer(
        calling_hours, live_server, browser, screenshots):
    from django.utils import timezone
    from playwright.sync_api import expect

    from pinzhi.callbacks.evaluation import evaluate
    from pinzhi.callbacks.services import script_for
    from pinzhi.quality.models import Case

    company = build_company()
    evaluate(as_of=timezone.now())
    base = live_server.url

    operator = _session(browser, base, "operator")
    operator.goto(f"{base}/callbacks/")
    first = operator.locator("#queue-table tbody tr").first
    expect(first).to_have_attribute("data-policy", "P1")  # nearest deadline, then oldest
    operator.screenshot(path=str(screenshots / "callbacks-queue.png"), full_page=True)
    operator.click("#take-next")
    operator.wait_for_url(f"{base}/callbacks/call/P1/")
    expect(operator.locator("#call-phone")).to_have_text("13912345678")

    for question in script_for(company.policies["P1"]):
        answer = "no" if question.code == "signed_personally" else "yes"
        operator.check(f"#q_{question.code}-{answer}")
    operator.click("label[for=satisfaction-2]")
    operator.select_option("#id_outcome", "success")
    operator.fill("#id_note", "客户称投保单非本人签名")
    operator.screenshot(path=str(screenshots / "callbacks-call.png"), full_page=True)
    operator.click("#call-submit")
    operator.wait_for_url(f"{base}/callbacks/")
    expect(operator.locator(".alert-success")).to_be_visible()
    expect(operator.locator("#queue-P1")).to_have_count(0)

    case = Case.objects.get(policy__policy_no="P1", type__code="forged_signature")
    officer = _session(browser, base, "officer")
    officer.goto(f"{base}/quality/")
    row = officer.locator(f"#queue-drafts #case-{case.case_no}")
    expect(row).to_be_visible()
    row.locator("a").click()
    expect(officer.locator("#case-status")).to_have_attribute("data-status", "draft")
    expect(officer.locator("a.font-monospace", has_text="P1")).to_be_visible()
    officer.goto(f"{base}/quality/cases/?type=forged_signature")
    expect(officer.locator(f"#case-{case.case_no}")).to_be_visible()
