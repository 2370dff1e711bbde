"""Special requests (rules §4.7): added by an officer or by the policy's own agent,
approved by the branch coordinator only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pinzhi.callbacks import rules
from pinzhi.callbacks.models import CallbackRequest, CallbackStatus
from pinzhi.callbacks.services import request_add

pytestmark = pytest.mark.django_db


def new(policy_no):
    return reverse("callbacks-request-new", args=[policy_no])


def approve(client, request):
    return client.post(reverse("callbacks-request-approve", args=[request.pk]), follow=True)


def early(**kw):
    today = timezone.localdate()
    return {"kind": "early", "earliest_on": (today + dt.timedelta(days=3)).isoformat(),
            "requested_on": today.isoformat(), "reason": "出国", **kw}


def test_the_agent_adds_a_request_for_his_policy_and_the_officer_approves(company, login):
    client = login(company.users.agent)
    html = client.get(company.policies["P1"].get_absolute_url()).content.decode()
    assert 'id="callback-request-new"' in html  # reachable from the policy page
    response = client.post(new("P1"), early(), follow=True)
    assert response.redirect_chain[-1][0] == "/policies/P1/"
    request = CallbackRequest.objects.get(policy__policy_no="P1")
    assert request.kind == "early" and request.requested_by == company.users.agent
    assert request.approved_on is None

    html = approve(client, request).content.decode()  # an agent does not approve
    assert "only the branch coordinator approves" in html
    assert CallbackRequest.objects.get(pk=request.pk).approved_on is None

    client = login(company.users.officer)
    html = client.get(reverse("callbacks-requests")).content.decode()
    assert f'id="btn-approve-{request.pk}"' in html
    html = approve(client, request).content.decode()
    request.refresh_from_db()
    assert request.approved_on == timezone.localdate()
    assert request.approved_by == company.users.officer
    assert f'id="btn-approve-{request.pk}"' not in html


def test_an_agent_cannot_reach_another_agents_policy(company, login):
    client = login(company.users.agent3)
    assert client.get(new("P1")).status_code == 404
    assert client.post(new("P1"), early()).status_code == 404
    assert not CallbackRequest.objects.exists()


def test_requests_listed_in_scope_pending_first(company, login):
    officer = company.users.officer
    old = request_add(policy=company.policies["P3"], kind="exemption", by=officer,
                      requested_on=dt.date(2026, 3, 1), reason="客户签署回访确认书")
    pending = request_add(policy=company.policies["P1"], kind="early", by=officer,
                          requested_on=dt.date(2026, 2, 1), earliest_on=dt.date(2026, 3, 5))
    sz = request_add(policy=company.policies["P4"], kind="exemption", by=company.users.hq,
                     reason="x")
    approve(login(officer), old)
    html = login(officer).get(reverse("callbacks-requests")).content.decode()
    assert html.index(f'id="request-{pending.pk}"') < html.index(f'id="request-{old.pk}"')
    assert f'id="request-{sz.pk}"' not in html
    assert approve(login(company.users.officer_sz), pending).status_code == 404
    html = login(company.users.manager).get(reverse("callbacks-requests")).content.decode()
    assert 'id="btn-approve-' not in html  # managers read


def test_an_approved_exemption_meets_the_callback_condition(company, login, travel):
    # An exemption approved on a day counts from 09:00 that day (rules §4.7, as an early
    # callback opens): the clock stands in the afternoon, not at whatever hour CI runs.
    travel("2026-06-01T15:00")
    client = login(company.users.officer)
    html = client.post(new("P1"), early(kind="exemption", reason=""), follow=True) \
        .content.decode()
    assert "An exemption needs its reason." in html
    client.post(new("P1"), early(kind="exemption", reason="客户签署回访确认书"))
    request = CallbackRequest.objects.get(policy__policy_no="P1")
    assert request.earliest_on is None
    approve(client, request)
    assert CallbackStatus.objects.get(policy__policy_no="P1").status == rules.EXEMPTED


def test_an_early_request_needs_its_day_and_a_duplicate_is_refused(company, login):
    client = login(company.users.officer)
    html = client.post(new("P1"), early(earliest_on="")).content.decode()
    assert "needs the day from which to call" in html
    client.post(new("P1"), early())
    html = client.post(new("P1"), early()).content.decode()
    assert "already has this request: early callback" in html  # the services' words
    assert CallbackRequest.objects.count() == 1


def test_a_policy_that_needs_no_callback_gets_no_form(company, login):
    html = login(company.users.officer).get(new("P2")).content.decode()
    assert 'id="request-not-needed"' in html and 'id="request-form"' not in html
