"""The callback panel of the policy page (rules §4): the state, its attempts and what
was kept but not counted, the manual task, requests and contact updates."""

import pytest
from django.urls import reverse

from pinzhi.callbacks.models import CallbackStatus
from pinzhi.callbacks.services import contact_update_record

from .conftest import at, call, printed, t

pytestmark = pytest.mark.django_db


def policy_page(client, policy_no):
    return client.get(reverse("policy-detail", args=[policy_no])).content.decode()


def test_a_policy_never_evaluated_shows_its_state_derived_now(company, login):
    assert not CallbackStatus.objects.exists()
    with at(t(3, 5, 12)):  # P1 printed 03-02: round 1 opens 03-12 09:00
        html = policy_page(login(company.users.officer), "P1")
    assert 'id="callback-panel"' in html and 'data-status="waiting"' in html
    assert "Waiting for round 1" in html
    assert "2026-03-12 09:00" in html  # the next call
    assert "2026-03-18 00:00" in html  # the end of the cooling-off period
    assert not CallbackStatus.objects.exists()  # nothing written by a page


def test_a_policy_that_is_not_long_term_needs_no_callback(company, login):
    html = policy_page(login(company.users.officer), "P2")
    assert 'id="callback-not-needed"' in html and 'id="callback-status"' not in html


def test_the_panel_of_a_manual_callback(company, login, task):
    op = company.users.officer
    call(task.policy, op, t(2, 24, 22), "no_answer", round="2")  # after the round failed
    with at(t(2, 26, 10)):
        contact_update_record(policy=task.policy, phone="13912345000", by=company.users.agent)
    with at(t(3, 20, 10)):
        html = policy_page(login(op), "M1")
    assert 'data-status="manual"' in html and "Manual callback open" in html
    assert "kept, not counted: the round was not open" in html
    assert "Number not in service" in html and "Applicant refused the callback" in html
    assert 'id="callback-task"' in html and "2026-03-16" in html
    assert "139****5000" in html and "13912345000" not in html
    assert 'id="callback-late"' in html  # open after the cooling-off period


def test_an_agent_sees_his_own_policys_panel_with_the_request_link(company, login):
    policy = printed(company, "G1")
    call(policy, company.users.operator, t(2, 13, 10), "success")
    client = login(company.users.agent)
    html = policy_page(client, "G1")
    assert 'data-status="succeeded"' in html and 'id="callback-request-new"' not in html
    html = policy_page(client, "P1")
    assert 'id="callback-request-new"' in html and 'id="callback-task"' not in html
