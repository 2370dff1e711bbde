"""The officer's manual callback in a real browser (Debian's Chromium, Playwright), in
Chinese: the task is assigned, the signed reply uploaded, the verdict recorded; the
policy page then shows the callback succeeded.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import pytest

from tests.browser import LIVE_DB, sign_in
from tests.factories import build_company

from .conftest import open_manual

pytestmark = [pytest.mark.browser, LIVE_DB]


def test_manual_callback_verdict(live_server, browser, screenshots, tmp_path):
    from playwright.sync_api import expect

    company = build_company()
    open_manual(company)
    base = live_server.url
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}) \
        .new_page()
    sign_in(page, base, "officer")

    page.goto(f"{base}/callbacks/manual/")
    expect(page.locator("#task-M1 .pz-overdue")).to_be_visible()
    page.screenshot(path=screenshots / "callbacks-manual-list.png", full_page=True)
    page.click("#task-M1 a")
    page.select_option("#assign-form select", str(company.users.officer.pk))
    page.click("#assign-form button")
    expect(page.locator("#task-owner")).to_have_text("officer")

    reply = tmp_path / "signed-reply.pdf"
    reply.write_bytes(b"%PDF-1.4 signed")
    page.set_input_files("#document-form input[type=file]", str(reply))
    page.click("#document-form button")
    expect(page.locator("#task-documents")).to_contain_text("signed-reply.pdf")

    page.select_option("#id_method", "letter")
    page.select_option("#id_outcome", "success")
    page.screenshot(path=screenshots / "callbacks-manual-detail.png", full_page=True)
    page.click("#btn-verdict")
    expect(page.locator("#task-state")).to_have_attribute("data-state", "closed")
    expect(page.locator("#callback-status")).to_have_attribute("data-status", "succeeded")

    page.goto(f"{base}/policies/M1/")
    expect(page.locator("#callback-panel")).to_be_visible()
    page.screenshot(path=screenshots / "callbacks-policy-panel.png", full_page=True)
    page.goto(f"{base}/callbacks/late/")
    page.screenshot(path=screenshots / "callbacks-late.png", full_page=True)
