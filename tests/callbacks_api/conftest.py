"""Policies with callback facts for the callback API (rules §4), on the small company
(tests.factories): E1 (A001, T1, GZ), printed 2026-02-01, so round 1 opens 02-11 09:00
and the cooling-off period ends 02-17 00:00."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from pinzhi.callbacks.services import attempt_record
from tests.factories import make_policy

API = "/api/v1/"
SH = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


def at(moment):
    """The clock stands at `moment` (the service refuses attempts in the future)."""
    return time_machine.travel(moment, tick=False)


def call(policy, by, when, outcome, *, recorded=None, **kw):
    """An attempt recorded 30 seconds after it was made (or at `recorded`)."""
    with at(recorded or when + dt.timedelta(seconds=30)):
        return attempt_record(policy=policy, by=by, outcome=outcome, at=when, **kw)


def printed(company, no, agent, day, product="TRAD10"):
    return make_policy(no, company.agents[agent], company.products[product],
                       signed_on=day, printed_on=day, effective_on=day)


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"


@pytest.fixture
def api_as(company):
    """`api_as("operator")`: a client authenticated as that user. Without a session, so
    that travelling in time does not expire it."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(getattr(company.users, username))
        return client

    return make


@pytest.fixture
def e1(company):
    return printed(company, "E1", "A001", dt.date(2026, 2, 1))


def url(policy_no: str, tail: str = "") -> str:
    return f"{API}policies/{policy_no}/callback/{tail}"


@pytest.fixture
def api():
    return APIClient()
