"""The clerk's registration page and the list of receipts still owed, by the test client."""

import datetime as dt

import pytest
from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.receipts.models import Receipt
from tests.factories import make_policy

PAGE = "/receipts/"


@pytest.fixture
def clerk(client, company):
    client.force_login(company.users.clerk)
    return client


def test_the_page_has_one_focused_field_and_today(clerk):
    html = clerk.get(PAGE).content.decode()
    assert 'name="policy_no"' in html and "autofocus" in html
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_registering_comes_back_empty_with_the_running_list(clerk, company, a002):
    response = clerk.post(PAGE, {"policy_no": "P1", "collected_on": "2026-05-30"},
                          follow=True)
    html = response.content.decode()
    assert 'id="policy-no" value=""' in html
    assert "P1 registered (on time)" in html
    response = clerk.post(PAGE, {"policy_no": "R1", "collected_on": "2026-05-30"},
                          follow=True)
    html = response.content.decode()
    assert html.index("R1 registered (late: 20.00 deducted)") < html.index(
        "P1 registered (on time)")
    assert 'value="2026-05-30"' in html  # the date chosen is kept for the next scan
    receipt = Receipt.objects.get(policy__policy_no="R1")
    assert receipt.registered_by == company.users.clerk
    assert Event.objects.filter(action="receipt.registered", key="R1",
                                actor=company.users.clerk).exists()


@pytest.mark.parametrize("number, reason", [
    ("NOPE", "no policy NOPE"),
    ("P2", "policy P2 owes no receipt: it is not long-term"),
    ("P4", "no policy P4"),  # Shenzhen: outside the GZ clerk's scope
])
def test_a_refusal_shows_the_reason_and_keeps_the_focus(clerk, number, reason):
    response = clerk.post(PAGE, {"policy_no": number, "collected_on": "2026-05-30"})
    html = response.content.decode()
    assert response.status_code == 200 and reason in html
    assert f'value="{number}"' in html and "autofocus" in html
    assert not Receipt.objects.exists()


def test_registered_twice_is_refused(clerk):
    clerk.post(PAGE, {"policy_no": "P1", "collected_on": "2026-05-30"})
    html = clerk.post(PAGE, {"policy_no": "P1", "collected_on": "2026-05-31"}).content.decode()
    assert "the receipt of P1 was already registered (collected on 2026-05-30)" in html
    assert Receipt.objects.get().collected_on == dt.date(2026, 5, 30)


def test_a_future_date_is_refused(clerk):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    html = clerk.post(PAGE, {"policy_no": "P1", "collected_on": tomorrow.isoformat()}
                      ).content.decode()
    assert "is in the future" in html and not Receipt.objects.exists()


def test_agents_may_not_register(client, company):
    client.force_login(company.users.agent)
    assert client.get(PAGE).status_code == 403


def test_the_list_of_receipts_owed_and_its_filters(clerk, company):
    today = timezone.localdate()
    soon = make_policy("R7", company.agents["A003"], company.products["TRAD10"],
                       signed_on=today - dt.timedelta(days=100),
                       printed_on=today - dt.timedelta(days=95),
                       effective_on=today - dt.timedelta(days=88))  # deadline within 7 days
    clerk.post(PAGE, {"policy_no": "P1"})
    html = clerk.get("/receipts/list/").content.decode()
    assert 'data-policy="P3"' in html and 'data-policy="R7"' in html
    assert 'data-policy="P1"' not in html  # collected
    assert 'data-policy="P2"' not in html and 'data-policy="P4"' not in html
    overdue = clerk.get("/receipts/list/?show=overdue").content.decode()
    assert 'data-policy="P3"' in overdue and 'data-policy="R7"' not in overdue
    due_soon = clerk.get("/receipts/list/?show=soon").content.decode()
    assert 'data-policy="R7"' in due_soon and 'data-policy="P3"' not in due_soon
    assert soon.effective_on
