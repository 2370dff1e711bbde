"""The message centre (rules §8.2): the messages evaluation creates when a round fails,
who sees them, when and how they were told, and reading them."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from pinzhi.notify.models import Message
from pinzhi.notify.services import message_send
from tests.callbacks_agent.conftest import call, t
from tests.factories import make_policy

pytestmark = pytest.mark.django_db
INBOX = reverse("messages")


@pytest.fixture
def told(company):
    """Round 1 of A001's policy E3 failed on 02-13 10:00: evaluation told him."""
    policy = make_policy("E3", company.agents["A001"], company.products["TRAD10"],
                         signed_on=dt.date(2026, 2, 1), printed_on=dt.date(2026, 2, 1),
                         effective_on=dt.date(2026, 2, 2))
    call(policy, company.users.operator, t(2, 13, 10), "empty_number")
    return Message.objects.get(policy=policy, kind="callback_round_1_failed")


def test_a_failed_round_1_is_listed_for_the_agent_with_when_he_was_told(
        client, company, told, message_log):
    assert told.agent == company.agents["A001"] and told.channel == "log"
    assert told.told_at == t(2, 13, 10, 0) + dt.timedelta(seconds=30)
    line = json.loads(message_log.read_text(encoding="utf-8").splitlines()[0])
    assert line["key"] == told.key and line["to_agent"] == "A001"
    client.force_login(company.users.agent)
    html = client.get(INBOX).content.decode()
    assert f'id="message-{told.pk}"' in html and "pz-unread" in html
    assert 'data-told="2026-02-13T10:00:30+08:00" data-channel="log"' in html
    assert "Told 2026-02-13 10:00" in html
    assert 'id="unread-count"' in html and "<title>Messages (1)" in html


def test_opening_a_message_marks_it_read_and_links_to_the_policy(client, company, told):
    client.force_login(company.users.agent)
    html = client.get(reverse("message-detail", args=[told.pk])).content.decode()
    assert 'href="/callbacks/mine/#E3" id="message-link"' in html
    told.refresh_from_db()
    assert told.read_at is not None
    inbox = client.get(INBOX).content.decode()
    assert "pz-unread" not in inbox and 'id="unread-count"' not in inbox


def test_mark_all_read(client, company, told):
    message_send(key="k2", kind="note", subject="Another", body="…",
                 agent=company.agents["A001"])
    client.force_login(company.users.agent)
    response = client.post(reverse("messages-read-all"), follow=True)
    assert "2 messages marked as read." in response.content.decode()
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_another_agent_does_not_see_it(client, company, told):
    client.force_login(company.users.agent3)
    assert f'id="message-{told.pk}"' not in client.get(INBOX).content.decode()
    assert client.get(reverse("message-detail", args=[told.pk])).status_code == 404
    client.post(reverse("messages-read-all"))
    told.refresh_from_db()
    assert told.read_at is None


def test_staff_see_the_messages_to_their_user_only(client, company, told):
    mine = message_send(key="officer:1", kind="note", subject="For the officer", body="…",
                        user=company.users.officer)
    client.force_login(company.users.officer)  # A001 is in his subtree: not his messages
    html = client.get(INBOX).content.decode()
    assert f'id="message-{mine.pk}"' in html and f'id="message-{told.pk}"' not in html
    client.force_login(company.users.agent)
    assert f'id="message-{mine.pk}"' not in client.get(INBOX).content.decode()


def test_a_manager_who_is_an_agent_sees_both_kinds(client, company):
    to_agent = message_send(key="a2", kind="note", subject="To A002", body="…",
                            agent=company.agents["A002"])
    to_user = message_send(key="u2", kind="note", subject="To manager", body="…",
                           user=company.users.manager)
    client.force_login(company.users.manager)
    html = client.get(INBOX).content.decode()
    assert f'id="message-{to_agent.pk}"' in html and f'id="message-{to_user.pk}"' in html


def test_the_inbox_is_paginated_newest_first(client, company):
    for i in range(25):
        message_send(key=f"n{i}", kind="note", subject=f"Note {i:02d}", body="…",
                     agent=company.agents["A001"], now=t(3, 1) + dt.timedelta(minutes=i))
    client.force_login(company.users.agent)
    first = client.get(INBOX).content.decode()
    assert first.count('class="list-group-item') == 20
    assert first.index("Note 24") < first.index("Note 23")
    second = client.get(INBOX, {"page": 2}).content.decode()
    assert second.count('class="list-group-item') == 5 and "Note 00" in second


def test_an_agent_page_links_to_the_unread_messages(client, company, told):
    client.force_login(company.users.agent)
    html = client.get(reverse("home")).content.decode()
    assert 'id="unread-messages"' in html


def test_the_admin_lists_messages_read_only(client, company, told):
    client.force_login(company.users.admin)
    admin = company.users.admin
    admin.is_superuser = True
    admin.save()
    assert client.get(reverse("admin:notify_message_changelist")).status_code == 200
    assert client.get(reverse("admin:notify_message_add")).status_code == 403
    change = client.post(reverse("admin:notify_message_change", args=[told.pk]),
                         {"subject": "edited"})
    assert change.status_code == 403
    told.refresh_from_db()
    assert told.subject != "edited"
    assert client.post(reverse("admin:notify_message_delete", args=[told.pk]),
                       {"post": "yes"}).status_code == 403
    assert Message.objects.filter(pk=told.pk).exists()

