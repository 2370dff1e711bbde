"""Idle timeout (issue 9): a session unused for PINZHI_SESSION_IDLE_MINUTES (30) is over;
one in use goes on."""

import pytest

from pinzhi.core.models import Event

from .conftest import HOME, sign_in, signed_in

pytestmark = pytest.mark.django_db


def test_an_idle_session_is_signed_out(client, company, clock):
    sign_in(client, "officer")
    assert signed_in(client)
    clock("2026-06-01T09:31")
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_session_in_use_goes_on(client, company, clock):
    sign_in(client, "officer")
    for moment in ("09:20", "09:45", "10:10", "10:35"):
        clock(f"2026-06-01T{moment}")
        assert signed_in(client), moment
    clock("2026-06-01T11:06")
    assert not signed_in(client)


def test_the_idle_time_is_a_setting(client, company, clock, settings):
    settings.PINZHI_SESSION_IDLE_MINUTES = 10
    settings.SESSION_COOKIE_AGE = 60 * 60
    sign_in(client, "officer")
    clock("2026-06-01T09:09")
    assert signed_in(client)
    clock("2026-06-01T09:20")  # the store still holds the session: the gate ends it
    assert not signed_in(client)
    assert Event.objects.get(action="auth.idle_timeout").key == "officer"
