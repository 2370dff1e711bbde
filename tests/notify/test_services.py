"""Sending: idempotent by key; a gateway failure leaves the message untold."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from pinzhi.callbacks.models import CallbackAttempt
from pinzhi.notify.models import Message
from pinzhi.notify.services import message_send, messages_add, messages_deliver
from tests.callbacks_agent.conftest import call, committed, t
from tests.factories import make_policy

pytestmark = pytest.mark.django_db
BROKEN = "tests.notify.conftest.BrokenGateway"


def test_message_send_is_idempotent_by_key(company, message_log):
    with committed():
        first = message_send(key="k1", kind="note", subject="One", body="…",
                             agent=company.agents["A001"])
        again = message_send(key="k1", kind="note", subject="Two", body="…",
                             agent=company.agents["A001"])
    assert again.pk == first.pk and Message.objects.get().subject == "One"
    assert len(message_log.read_text(encoding="utf-8").splitlines()) == 1
    assert first.told_at is None  # the instance was made before it was told
    assert Message.objects.get().told_at is not None


def test_messages_add_skips_keys_already_there(company):
    row = dict(key="k1", kind="note", subject="One", body="…", agent=company.agents["A001"])
    assert messages_add([row], now=timezone.now()) == 1
    assert messages_add([row], now=timezone.now()) == 0


@override_settings(PINZHI_MESSAGE_GATEWAY=BROKEN)
def test_a_gateway_that_raises_leaves_told_at_empty(company, message_log):
    with committed():  # the outage is logged, not raised
        message_send(key="k1", kind="note", subject="One", body="…",
                     agent=company.agents["A001"])
    message = Message.objects.get(key="k1")  # recorded, for the next run to tell
    assert message.told_at is None and message.channel == ""
    assert not message_log.exists()


def test_the_next_run_tells_what_a_failed_gateway_left(company, message_log):
    with override_settings(PINZHI_MESSAGE_GATEWAY=BROKEN), committed():
        message_send(key="k1", kind="note", subject="One", body="…",
                     agent=company.agents["A001"])
    assert Message.objects.get(key="k1").told_at is None
    assert messages_deliver() == 1
    message = Message.objects.get(key="k1")
    assert message.told_at is not None and message.channel == "log"


@override_settings(PINZHI_MESSAGE_GATEWAY="pinzhi.notify.gateways.NullGateway")
def test_the_null_gateway_tells_in_the_application_only(company, message_log):
    with committed():
        message_send(key="k1", kind="note", subject="One", body="…",
                     agent=company.agents["A001"])
    assert Message.objects.get().channel == "app" and not message_log.exists()


def test_a_gateway_outage_does_not_undo_a_recorded_attempt(company):
    policy = make_policy("E3", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 1), printed_on=dt.date(2026, 2, 1))
    with override_settings(PINZHI_MESSAGE_GATEWAY=BROKEN):
        call(policy, company.users.operator, t(2, 13, 10), "empty_number")
    assert CallbackAttempt.objects.filter(policy=policy).exists()
    assert Message.objects.get(policy=policy).told_at is None
