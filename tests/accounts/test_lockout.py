"""Lockout (issue 9): 5 failed sign-ins in a row lock the user, not the address, for 30
minutes; the login page says so (429, never a 5xx); locks and unlocks are events."""

import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.urls import reverse

from pinzhi.accounts.lockout import LockoutRefused, unlock
from pinzhi.accounts.models import ApiToken, User
from pinzhi.core.models import Event
from tests.factories import PASSWORD

from .conftest import sign_in, signed_in

pytestmark = pytest.mark.django_db
WRONG = "not-the-password-9"


def fail(client, username="officer", times=1):
    return [sign_in(client, username, WRONG) for _ in range(times)]


def test_four_failures_still_let_the_user_in(client, company, clock):
    responses = fail(client, times=4)
    assert {r.status_code for r in responses} == {200}
    assert 'id="login-locked"' not in responses[-1].content.decode()
    assert sign_in(client, "officer").status_code == 302 and signed_in(client)
    assert not Event.objects.filter(action="auth.locked").exists()


def test_the_fifth_failure_locks_even_the_right_password_for_30_minutes(client, company,
                                                                         clock):
    *_, fifth = fail(client, times=5)
    assert fifth.status_code == 429 and 'id="login-locked"' in fifth.content.decode()
    assert "30 minutes" in fifth.content.decode()
    refused = sign_in(client, "officer")  # the right password, during the lock
    assert refused.status_code == 429 and not signed_in(client)
    clock("2026-06-01T09:29")
    assert sign_in(client, "officer").status_code == 429  # a try does not prolong it...
    clock("2026-06-01T09:31")
    assert sign_in(client, "officer").status_code == 302 and signed_in(client)  # ...nor this


def test_the_lock_is_one_event_with_the_count_and_the_address(client, company, clock):
    fail(client, times=5)
    sign_in(client, "officer")  # refused during the lock: a failed sign-in, not a new lock
    lock = Event.objects.get(action="auth.locked")
    assert (lock.kind, lock.key, lock.ip) == ("user", "officer", "127.0.0.1")
    assert lock.data == {"failures": 5, "minutes": 30, "known_user": True}
    assert Event.objects.filter(action="auth.login_failed", key="officer").count() == 6


def test_the_user_is_locked_not_the_address(client, company, clock):
    fail(client, times=5)
    assert sign_in(client, "officer_sz").status_code == 302  # same address, another user


def test_failures_count_in_a_row(client, company, clock):
    fail(client, times=4)
    assert sign_in(client, "officer").status_code == 302
    client.post(reverse("logout"))
    assert {r.status_code for r in fail(client, times=4)} == {200}


def test_an_unknown_user_name_locks_too_and_never_errs(client, company, clock):
    responses = fail(client, username="nobody", times=6)
    assert [r.status_code for r in responses] == [200] * 4 + [429] * 2
    assert Event.objects.get(action="auth.locked").data["known_user"] is False


def test_the_admin_login_is_locked_with_the_same_page(client, company, clock):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "admin", "password": WRONG})
    assert response.status_code == 429 and 'id="login-locked"' in response.content.decode()


def test_a_locked_users_api_token_still_works_and_a_bad_one_is_401(client, company, clock):
    token = ApiToken.issue(user=company.users.officer, name="test")[1]
    fail(client, times=5)
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    bad = client.get("/api/v1/units/", HTTP_AUTHORIZATION="Token pz_wrong")
    assert bad.status_code == 401


def test_unlock_by_command_logs_who(client, company, clock):
    fail(client, times=5)
    call_command("unlock", "officer", by="admin")
    event = Event.objects.get(action="auth.unlocked")
    assert (event.actor, event.key, event.data["via"]) == (company.users.admin, "officer", "cli")
    assert sign_in(client, "officer").status_code == 302


def test_only_an_administrator_unlocks(client, company, clock):
    fail(client, times=5)
    with pytest.raises(CommandError, match="may not unlock"):
        call_command("unlock", "officer", by="hq")
    with pytest.raises(LockoutRefused):
        unlock(username="officer", by=company.users.officer, via="test")
    assert sign_in(client, "officer").status_code == 429
    assert not Event.objects.filter(action="auth.unlocked").exists()


def test_unlock_in_the_admin_is_logged(client, company, clock):
    root = User.objects.create_superuser("root", password=PASSWORD)
    fail(client, times=5)
    attempt = AccessAttempt.objects.get(username="officer")
    admin = client.__class__()
    admin.force_login(root)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(url, {"post": "yes"}).status_code == 302
    event = Event.objects.get(action="auth.unlocked")
    assert (event.actor, event.key, event.data["via"]) == (root, "officer", "admin")
    assert sign_in(client, "officer").status_code == 302


def test_the_test_clients_login_without_a_request_still_works(client, company):
    # Sign-ins from code have no client to lock; the login page always has one.
    assert client.login(username="officer", password=PASSWORD)


def test_the_admin_shows_the_password_age_and_the_attempts(client, company):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    page = client.get(reverse("admin:accounts_user_change", args=[company.users.officer.pk]))
    assert page.status_code == 200 and "password_changed_at" in page.content.decode()
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
