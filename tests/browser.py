"""Shared by the browser tests: Debian's Chromium driven by Playwright's sync API.

Skipped when /usr/bin/chromium is missing, unless PINZHI_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure: a silently skipped browser test proves nothing.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Live-server tests commit, so the database is emptied after each. Data seeded by
# migrations (the catalogue, the calendar, content types) is serialised and restored
# around every one of them, so no test after them finds it gone.
LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("PINZHI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PINZHI_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Django's connections are per context, and Playwright's sync API runs the
            # test in a context of its own: the connection the test opened there is closed
            # here, or it would outlive the test (and keep the test database from being
            # dropped, or copied as a template, after it).
            from django.db import connections

            connections.close_all()


@pytest.fixture
def screenshots() -> Path:
    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")
