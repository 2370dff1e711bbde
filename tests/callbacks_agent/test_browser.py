"""The agent's callbacks on a phone, in a real browser: a refused number comes back into
the row (htmx, the page is not reloaded), then he confirms the number and round 2 opens.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import datetime as dt

import pytest
from django.utils import timezone

from pinzhi.callbacks import rules
from pinzhi.callbacks.models import CallbackStatus, ContactUpdate
from pinzhi.callbacks.services import attempt_record
from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company, make_policy

pytestmark = [pytest.mark.browser, LIVE_DB]


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"


def test_refused_then_confirmed_on_a_phone(live_server, browser, screenshots):
    from playwright.sync_api import expect

    company = build_company()
    # Real time (the browser's cookies live in it): printed 14 days ago, round 1 failed
    # 3 days later, so 7 days are left.
    printed = timezone.localdate() - dt.timedelta(days=14)
    policy = make_policy("E9", company.agents["A001"], company.products["TRAD10"],
                         signed_on=printed, printed_on=printed)
    failed_at = rules.at_nine(printed + dt.timedelta(days=11)) + dt.timedelta(hours=1)
    attempt_record(policy=policy, by=company.users.operator, outcome="empty_number",
                   at=failed_at)
    base = live_server.url
    page = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                               is_mobile=True).new_page()
    sign_in(page, base, "agent")
    expect(page.locator("#callbacks-waiting .pz-stat-n")).to_have_text("1")  # home page
    page.goto(f"{base}/messages/")
    page.screenshot(path=str(screenshots / "messages.png"), full_page=True)
    page.click("#message-list a")
    page.click("#message-link")
    page.wait_for_url(f"{base}/callbacks/mine/#E9")
    row = page.locator("#E9")
    expect(row).to_have_attribute("data-days-left", "7")

    row.locator("input[name=phone]").fill("020-83980000")
    row.locator("#update-form-E9 button").click()
    expect(page.locator("#refusal-E9")).to_be_visible()
    assert page.url == f"{base}/callbacks/mine/#E9"  # swapped in place
    page.screenshot(path=str(screenshots / "callbacks-mine.png"), full_page=True)
    assert not ContactUpdate.objects.exists()

    page.locator("#confirm-form-E9 button").click()
    expect(page.locator("#E9")).to_have_attribute("data-status", "round_2")
    assert CallbackStatus.objects.get(policy=policy).status == "round_2"
