"""What is owed (issue 5): receipts, documents and notices in one list by urgency."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pinzhi.documents.models import ValuableDocument
from pinzhi.notices.models import Notice
from pinzhi.receipts.models import Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(company):
    a001 = company.agents["A001"]
    ValuableDocument.objects.create(doc_no="VD1", agent=a001, issued_on=dt.date(2026, 5, 1),
                                    due_on=dt.date(2026, 5, 20))
    Notice.objects.create(notice_no="N1", policy=company.policies["P1"], agent=a001,
                          issued_on=dt.date(2026, 5, 1), due_on=dt.date(2026, 6, 10))
    Receipt.objects.create(policy=company.policies["P3"], collected_on=dt.date(2026, 3, 10))
    return company


def page(client, user):
    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        return client.get(reverse("owed")).content.decode()


def test_the_agent_sees_his_own_by_urgency(client, owed):
    html = page(client, owed.users.agent)
    # P1's receipt (effective 03-01: deadline 06-01) is due today; VD1 overdue since 05-21
    assert html.index('data-key="VD1"') < html.index('data-key="P1"') < html.index(
        'data-key="N1"')
    assert 'data-key="P4"' not in html  # another agent's
    assert 'data-count="document">1<' in html and 'data-count="receipt">0<' in html


def test_branch_staff_see_the_branch_and_a_collected_receipt_is_gone(client, owed):
    html = page(client, owed.users.officer)
    assert 'data-key="P1"' in html and 'data-key="P3"' not in html  # P3 collected
    assert 'data-key="P2"' not in html  # a one-year product owes no receipt
    assert 'data-key="P4"' not in page(client, owed.users.officer)  # SZ is not his
