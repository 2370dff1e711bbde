"""The settlement in a real browser (Debian's Chromium, Playwright's sync API): a sales
administrator computes February on the page, closing it himself is refused (four eyes),
a second person closes it, and agent A001 on a 390×844 phone opens his statement and
sees a withheld policy with what to do about it.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI).
"""

import datetime as dt

import pytest
import time_machine

from tests.browser import LIVE_DB, sign_in

from .conftest import EXTRA

pytestmark = [pytest.mark.browser, LIVE_DB]

# After every fact of the examples and February's cutoff; the clock ticks from here, in
# the live server's thread too (it shares the process clock).
MOMENT = dt.datetime.fromisoformat("2026-06-01T09:00+08:00")
WIDE = {"viewport": {"width": 1280, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}


@pytest.fixture
def june_first():
    with time_machine.travel(MOMENT, tick=True):
        yield


def _company(tmp_path):
    from django.utils import timezone

    from pinzhi.accounts.models import Role, User
    from pinzhi.policies.models import Policy
    from tests.factories import PASSWORD, build_company
    from tests.settlement.conftest import POLICIES, load
    from tests.settlement.test_examples import load_examples

    company = build_company()
    Policy.objects.update(voided_at=timezone.now(), void_reason="not in these examples")
    load_examples(tmp_path)
    load(tmp_path, "policies", POLICIES + "".join(EXTRA))
    second = User(username="sales2", role=Role.SALES_ADMIN, unit=company.units["GD"])
    second.set_password(PASSWORD)
    second.save()
    return company


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_compute_close_and_the_agents_statement_on_his_phone(
        live_server, browser, screenshots, june_first, tmp_path):
    from playwright.sync_api import expect

    from pinzhi.settlement.models import LedgerLine, Settlement

    _company(tmp_path)
    base = live_server.url

    # The sales administrator computes February for his branch.
    sales = browser.new_context(locale="zh-CN", **WIDE).new_page()
    sign_in(sales, base, "sales")
    sales.click('nav a[href="/settlement/"]')
    sales.fill("#id_month", "2026-02")
    expect(sales.locator("#id_unit")).to_have_value("GD")  # his own unit is offered
    sales.click("#compute-submit")
    sales.wait_for_url(f"{base}/settlement/2026-02/")
    card = sales.locator("#settlements [data-settlement]")
    expect(card).to_have_attribute("data-status", "draft")
    expect(sales.locator('#agents-table tr[data-agent="A001"]')).to_have_count(1)
    # Closing his own draft is refused, and the month stays a draft.
    card.locator('button[data-action="close"]').click()
    expect(sales.locator(".alert-danger")).to_contain_text("sales")
    expect(card).to_have_attribute("data-status", "draft")
    sales.screenshot(path=str(screenshots / "settlement-month-draft.png"), full_page=True)
    assert Settlement.objects.get().status == "draft"

    # A second person closes it.
    other = browser.new_context(locale="zh-CN", **WIDE).new_page()
    sign_in(other, base, "sales2")
    other.goto(f"{base}/settlement/2026-02/")
    other.locator('#settlements button[data-action="close"]').click()
    expect(other.locator("#settlements [data-settlement]")).to_have_attribute(
        "data-status", "closed")
    expect(other.locator(".alert-success")).to_contain_text("2026-02")
    other.screenshot(path=str(screenshots / "settlement-month-closed.png"), full_page=True)
    other.goto(f"{base}/settlement/")
    expect(other.locator('#settlements-table tr[data-month="2026-02"]')).to_have_attribute(
        "data-status", "closed")
    other.screenshot(path=str(screenshots / "settlement-months.png"), full_page=True)
    settlement = Settlement.objects.get()
    assert settlement.status == "closed" and settlement.closed_by.username == "sales2"
    assert LedgerLine.objects.filter(settlement=settlement).count() == settlement.lines

    # A001 on his phone: the forecast of June's cutoff, then February.
    phone = browser.new_context(locale="zh-CN", **PHONE).new_page()
    sign_in(phone, base, "agent")
    phone.goto(f"{base}/settlement/me/")
    forecast = phone.locator("#forecast")
    expect(forecast).to_have_attribute("data-month", "2026-06")
    f1 = forecast.locator('li[data-policy="F1"]')
    expect(f1.locator('[data-reason="receipt_missing"]')).to_contain_text("2026-06-19")
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(screenshots / "settlement-me-phone.png"), full_page=True)

    phone.click('#my-months a[data-month="2026-02"]')
    phone.wait_for_url(f"{base}/settlement/me/2026-02/")
    e2 = phone.locator('#withheld li[data-policy="E2"]')
    expect(e2).to_be_visible()
    # What releases it is done by the coming cutoff, whichever month withheld it.
    expect(e2.locator('[data-reason="receipt_missing"]')).to_contain_text("2026-06-19")
    expect(phone.locator("#statement-pdf")).to_be_visible()
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(screenshots / "settlement-me-month-phone.png"), full_page=True)

    response = phone.request.get(f"{base}/settlement/me/2026-02/statement.pdf")
    assert response.ok and response.body().startswith(b"%PDF-")
