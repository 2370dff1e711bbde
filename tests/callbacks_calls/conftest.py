import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

SH = ZoneInfo("Asia/Shanghai")
# Round 1 of the company's policies (printed 03-02) opened at 09:00 on 03-12.
NOW = dt.datetime(2026, 3, 12, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    """Agents told of a failed round are logged to a temporary file, not var/."""
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"
    return settings.PINZHI_MESSAGE_LOG


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def clock():
    """The clock stands still at NOW, inside the calling hours."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def calls(company, clock):
    """The company's policies evaluated at NOW: P1, P3, P4 in round 1 (P2 is a one-year
    product: no callback)."""
    from pinzhi.callbacks.evaluation import evaluate

    evaluate(as_of=NOW)
    return company


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
