"""Telling agents (rules §8.2): record the message, hand it to the gateway, record when.

`message_send` is for one message; `messages_add` + `messages_deliver` for the many a
periodic run creates (bulk insert, idempotent by key, then one pass through the gateway).
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pinzhi.core.evaluating import in_subtree
from pinzhi.core.models import Event

from .gateways import gateway
from .models import Message

DELIVERY_BATCH = 2000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """What a gateway needs of a message (no model instances cross the adapter)."""

    key: str
    agent_code: str
    phone: str
    username: str
    subject: str
    body: str


def message_send(*, key: str, kind: str, subject: str, body: str, agent=None, user=None,
                 policy=None, url: str = "", now: dt.datetime | None = None) -> Message:
    """One message, told at once; sending the same key again changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        message, created = Message.objects.get_or_create(key=key, defaults=dict(
            kind=kind, subject=subject, body=body, agent=agent, user=user, policy=policy,
            url=url, created_at=now))
    if created:  # told once the message is committed: never told of what was undone
        transaction.on_commit(lambda: messages_deliver(now=now), robust=True)
    return message


def messages_add(rows: list[dict], *, now: dt.datetime) -> int:
    """Many messages at once (dicts of Message fields); keys already there are skipped."""
    objs = [Message(created_at=now, **row) for row in rows]
    before = Message.objects.count()
    Message.objects.bulk_create(objs, batch_size=2000, ignore_conflicts=True)
    return Message.objects.count() - before


def messages_deliver(*, now: dt.datetime | None = None, unit_path: str = "") -> int:
    """Hand every untold message (to the agents of `unit_path`'s subtree, for a branch's
    run) to the gateway and record when. A gateway failure is logged and leaves them
    untold for the next run: an outage must never undo the facts whose messages these
    are."""
    now = now or timezone.now()
    sender, told = gateway(), 0
    untold = in_subtree(Message.objects.filter(told_at__isnull=True), "agent__team__path",
                        unit_path)
    while True:
        batch = list(untold.select_related("agent", "user").order_by("id")[:DELIVERY_BATCH])
        if not batch:
            return told
        try:
            channel = sender.send([_outgoing(m) for m in batch])
        except Exception:
            log.exception("message gateway failed; %d messages stay untold", len(batch))
            return told
        ids = [m.id for m in batch]
        with transaction.atomic():
            Message.objects.filter(id__in=ids).update(told_at=now, channel=channel)
            Event.objects.create(at=now, action="messages.told", kind="message",
                                 data={"count": len(ids), "channel": channel,
                                       "first": batch[0].key, "last": batch[-1].key})
        told += len(ids)


def _outgoing(m: Message) -> Outgoing:
    return Outgoing(key=m.key, agent_code=m.agent.code if m.agent else "",
                    phone=m.agent.phone if m.agent else "",
                    username=m.user.username if m.user else "", subject=m.subject,
                    body=m.body)


def message_read(*, message: Message, by) -> Message:
    """Only its recipient (the user, or the user's agent) reads a message."""
    if by is None or not (message.user_id == by.pk
                          or (by.agent_id and message.agent_id == by.agent_id)):
        raise PermissionError(f"{by} is not the recipient of message {message.pk}")
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message
