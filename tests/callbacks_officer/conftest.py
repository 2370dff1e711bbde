"""Fixtures of the officers' callback pages: a policy whose manual callback is open, and
a way to stand at a moment (rules §4: the state at a moment follows from the facts)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.models import ManualCallback
from pinzhi.callbacks.services import attempt_record
from tests.factories import make_policy

SH = ZoneInfo("Asia/Shanghai")


def t(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SH)


def at(moment):
    return time_machine.travel(moment, tick=False)


def call(policy, by, when, outcome, **kw):
    """An attempt recorded the moment it was made (the clock stands just after `when`)."""
    with at(when + dt.timedelta(seconds=30)):
        return attempt_record(policy=policy, by=by, outcome=outcome, at=when, **kw)


def printed(company, no, agent="A001", on=dt.date(2026, 2, 3), **kw):
    return make_policy(no, company.agents[agent], company.products["TRAD10"],
                       signed_on=on - dt.timedelta(days=1), printed_on=on, effective_on=on,
                       **kw)


def open_manual(company, no="M1", agent="A001") -> ManualCallback:
    """Printed 02-03: round 1 fails on an empty number 02-13 11:00, round 2 opens 02-23
    09:00 and fails on a refusal 02-24 10:00: the manual callback opens, due 03-16."""
    policy = printed(company, no, agent)
    call(policy, company.users.operator, t(2, 13, 11), "empty_number")
    evaluate(as_of=t(2, 23, 10), policy_ids=[policy.pk])
    call(policy, company.users.operator, t(2, 24, 10), "refused_self")
    return ManualCallback.objects.get(policy=policy)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Documents go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"


@pytest.fixture(autouse=True)
def english(client):
    """The pages are read in English here (Simplified Chinese is the default)."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def task(company):
    return open_manual(company)
