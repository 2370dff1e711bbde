"""Shared fixtures: a small company built by hand, users of every role."""

import os

import pytest

# The browser tests' fixtures (`browser`, `screenshots`), for every folder of tests.
pytest_plugins = ["tests.browser"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the
# test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def company(db):
    from tests.factories import build_company

    return build_company()


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way takes ~0.3 s; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def purge_ledger() -> None:
    """Empty the settlement ledger, which its triggers keep append-only: a test database
    flushed between transactional tests (SQLite flushes with DELETE) must get past them."""
    from django.db import connection

    from pinzhi.settlement.models import LedgerLine

    table = LedgerLine._meta.db_table
    if connection.vendor != "sqlite":  # PostgreSQL flushes with TRUNCATE: no row trigger
        return
    if not LedgerLine.objects.exists():
        return
    with connection.cursor() as cur:
        cur.execute("DROP TRIGGER IF EXISTS ledger_no_delete")
        cur.execute(f"DELETE FROM {table}")
        cur.execute(f"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger lines are append-only'); END")


@pytest.fixture(autouse=True)
def _ledger_left_empty(request):
    """Transactional tests (the browser's live server) leave no ledger lines behind."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if ({"live_server", "transactional_db"} & set(request.fixturenames)
            or (marker is not None and marker.kwargs.get("transaction"))):
        purge_ledger()


@pytest.fixture
def travel():
    """Move the clock: `travel("2026-06-01T09:00")` (+08:00), again as often as needed."""
    import datetime as dt

    import time_machine

    travellers = []

    def go(moment: str):
        if travellers:
            travellers.pop().stop()
        t = time_machine.travel(dt.datetime.fromisoformat(moment + "+08:00"), tick=False)
        t.start()
        travellers.append(t)

    yield go
    for t in travellers:
        t.stop()
