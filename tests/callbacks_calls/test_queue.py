"""The operator's queue: who reaches it, what it offers and in which order (rules §4.2,
§4.8, §9), taking the next call."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from pinzhi.accounts.models import Role, User
from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.models import CallLock
from pinzhi.callbacks.services import call_open
from tests.factories import make_policy

from .conftest import NOW, SH

pytestmark = pytest.mark.django_db
QUEUE = reverse("callbacks-queue")


def offered(client) -> list[str]:
    """The policy numbers of the queue's first page, in order."""
    html = client.get(QUEUE).content.decode()
    return re.findall(r'<tr id="queue-[^"]+" data-policy="([^"]+)"', html)


def other_operator(company) -> User:
    return User.objects.create_user("operator2", role=Role.OPERATOR,
                                    unit=company.units["GD"])


def test_nearest_deadline_first(company, clock, as_user):
    trad = company.products["TRAD10"]
    # printed 02-20: cooling-off ended 03-07, late; printed 02-27: ends 03-14
    make_policy("LATE", company.agents["A003"], trad, printed_on=dt.date(2026, 2, 20))
    make_policy("SOON", company.agents["A004"], trad, printed_on=dt.date(2026, 2, 27))
    evaluate(as_of=NOW)
    client = as_user(company.users.operator)
    assert offered(client) == ["LATE", "SOON", "P1", "P3", "P4"]
    html = client.get(QUEUE).content.decode()
    assert re.search(r'id="queue-LATE"[^>]*class="table-danger"', html)  # shown as late
    assert "139****5678" in html and "13912345678" not in html  # the phone masked


def test_a_policy_locked_by_another_operator_is_not_offered(calls, as_user):
    other = other_operator(calls)
    call_open(policy=calls.policies["P1"], operator=other, now=NOW)
    assert offered(as_user(calls.users.operator)) == ["P3", "P4"]
    client = as_user(other)
    assert offered(client) == ["P1", "P3", "P4"]
    assert "queue-P1" in client.get(QUEUE).content.decode()


def test_scope_an_officer_sees_his_subtree(calls, as_user):
    # officer: GZ (teams T1, T2); P4 is T3's (SZ)
    assert offered(as_user(calls.users.officer)) == ["P1", "P3"]
    assert offered(as_user(calls.users.hq)) == ["P1", "P3", "P4"]


@pytest.mark.parametrize("role", ["agent", "clerk", "manager", "sales"])
def test_other_roles_are_refused(calls, as_user, role):
    client = as_user(getattr(calls.users, role))
    assert client.get(QUEUE).status_code == 403
    assert client.post(reverse("callbacks-take")).status_code == 403
    assert client.get(reverse("callbacks-call", args=["P1"])).status_code == 403
    assert not CallLock.objects.exists()


def test_anonymous_goes_to_the_login_page(client, calls):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_outside_hours_the_queue_is_empty(calls, clock, as_user, english):
    clock.move_to(dt.datetime(2026, 3, 12, 21, 0, tzinfo=SH))  # 21:00 is already outside
    client = as_user(calls.users.operator)
    html = client.get(QUEUE).content.decode()
    assert offered(client) == []
    assert 'id="outside-hours"' in html and "2026-03-13 09:00" in html
    assert 'id="take-next" disabled' in html
    response = client.post(reverse("callbacks-take"), follow=True)
    assert "No policy may be called now." in response.content.decode()
    assert not CallLock.objects.exists()


def test_inside_hours_no_outside_message(calls, as_user):
    assert 'id="outside-hours"' not in as_user(calls.users.operator).get(QUEUE).content.decode()


def test_take_the_next_call(calls, as_user):
    client = as_user(calls.users.operator)
    response = client.post(reverse("callbacks-take"))
    assert response.status_code == 302
    assert response["Location"] == reverse("callbacks-call", args=["P1"])
    lock = CallLock.objects.get()
    assert lock.policy.policy_no == "P1" and lock.operator == calls.users.operator
    # the next operator gets the next policy
    response = as_user(other_operator(calls)).post(reverse("callbacks-take"))
    assert response["Location"] == reverse("callbacks-call", args=["P3"])


def test_take_is_post_only(calls, as_user):
    assert as_user(calls.users.operator).get(reverse("callbacks-take")).status_code == 405


def test_pagination(company, clock, as_user):
    for n in range(30):
        make_policy(f"X{n:02d}", company.agents["A001"], company.products["TRAD10"])
    evaluate(as_of=NOW)
    client = as_user(company.users.operator)
    first = offered(client)
    assert len(first) == 25
    html = client.get(QUEUE, {"page": 2}).content.decode()
    second = re.findall(r'data-policy="([^"]+)"', html)
    assert len(second) == 8 and not set(first) & set(second)
    assert 'data-count="33"' in html
