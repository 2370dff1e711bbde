import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase

from pinzhi.callbacks.services import attempt_record
from tests.factories import make_policy

SH = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


def at(when):
    """Stand at `when`: the clock does not move while the test acts."""
    return time_machine.travel(when, tick=False)


def call(policy, by, when, outcome):
    """An attempt recorded the moment it was made, and committed (agents are told then)."""
    with at(when + dt.timedelta(seconds=30)), committed():
        return attempt_record(policy=policy, by=by, outcome=outcome, at=when)


def committed():
    """The test's own transaction never commits: run what waits for the commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"
    return settings.PINZHI_MESSAGE_LOG


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def e3(company):
    """Agent A001's policy printed 02-01: round 1 opens 02-11 09:00."""
    return make_policy("E3", company.agents["A001"], company.products["TRAD10"],
                       signed_on=dt.date(2026, 2, 1), printed_on=dt.date(2026, 2, 1),
                       effective_on=dt.date(2026, 2, 2))


@pytest.fixture
def failed(company, e3):
    """Round 1 of E3 failed on 02-13 at 10:00 (number not in service)."""
    call(e3, company.users.operator, t(2, 13, 10), "empty_number")
    return e3
