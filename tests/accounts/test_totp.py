"""The TOTP second factor (issue 9): with PINZHI_TOTP_REQUIRED, administrators, whoever
closes settlements and whoever edits the catalogue enrol, then verify a code at every
sign-in, before any page; nobody else is asked; off by default; API tokens unaffected."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pinzhi.accounts.models import ApiToken
from pinzhi.core.models import Event

from .conftest import HOME, sign_in, signed_in

pytestmark = pytest.mark.django_db
SETUP = reverse("account-totp-setup")
VERIFY = reverse("account-totp-verify")


@pytest.fixture
def required(settings):
    settings.PINZHI_TOTP_REQUIRED = True


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(client, clock, username="admin") -> TOTPDevice:
    sign_in(client, username)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username=username)
    client.post(SETUP, {"token": code(device), "next": HOME})
    return device


def test_an_administrator_enrols_then_reaches_pages(client, company, clock, required):
    assert sign_in(client, "admin").status_code == 302
    response = client.get(reverse("agent-list"))
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fagents%2F"
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=company.users.admin, confirmed=False)
    uri = re.search(r'id="totp-uri">([^<]+)<', page).group(1)
    assert uri.startswith("otpauth://totp/Pinzhi%3Aadmin?secret=") and "<svg" in page
    wrong = client.post(SETUP, {"token": "000000", "next": "/agents/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    clock("2026-06-01T09:00:05")  # after a wrong code django-otp makes one wait a second
    done = client.post(SETUP, {"token": code(device), "next": "/agents/"})
    assert done.status_code == 302 and done["Location"] == "/agents/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("agent-list")).status_code == 200
    actions = list(Event.objects.filter(key="admin", action__startswith="auth.totp")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["auth.totp_failed", "auth.totp_enrolled"]


def test_every_later_sign_in_verifies_a_code(client, company, clock, required):
    device = enrol(client, clock)
    client.post(reverse("logout"))
    clock("2026-06-01T09:05")
    sign_in(client, "admin")
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(SETUP).status_code == 302  # enrolled: no second secret
    assert client.post(VERIFY, {"token": "123"}).status_code == 200 and not signed_in(client)
    clock("2026-06-01T09:05:30")
    assert client.post(VERIFY, {"token": code(device)}).status_code == 302
    assert signed_in(client)
    assert Event.objects.filter(action="auth.totp_verified", key="admin").count() == 1
    assert Event.objects.filter(action="auth.totp_failed", key="admin").count() == 1


def test_a_code_is_good_once(client, company, clock, required):
    device = enrol(client, clock)
    used = code(device)
    other = client.__class__()
    sign_in(other, "admin")
    clock("2026-06-01T09:00:10")  # the same 30-second step
    assert other.post(VERIFY, {"token": used}).status_code == 200 and not signed_in(other)


@pytest.mark.parametrize("username, asked", [
    ("admin", True),  # administrator
    ("sales", True),  # closes settlements (Role.SETTLEMENT_CLOSE)
    ("hq", True),  # edits the catalogue (head office)
    ("officer", True),  # adds catalogue versions for his branch
    ("agent", False), ("manager", False), ("clerk", False), ("operator", False),
    ("hr", False),
])
def test_who_is_asked(client, company, clock, required, username, asked):
    sign_in(client, username)
    assert signed_in(client) is not asked


def test_a_superuser_of_any_role_is_asked(client, company, clock, required):
    clerk = company.users.clerk
    clerk.is_superuser = True
    clerk.save()
    sign_in(client, "clerk")
    assert not signed_in(client)


def test_off_by_default_nothing_changes(client, company, clock, settings):
    assert settings.PINZHI_TOTP_REQUIRED is False
    sign_in(client, "admin")
    assert signed_in(client) and client.get("/admin/").status_code == 200


def test_the_admin_site_and_the_api_by_session_wait_for_the_code(client, company, clock,
                                                                 required):
    client.force_login(company.users.admin)
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/v1/units/")
    assert api.status_code == 403 and "detail" in api.json()


def test_api_tokens_are_unaffected(client, company, clock, required):
    token = ApiToken.issue(user=company.users.admin, name="payroll")[1]
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_sign_out_is_always_reachable(client, company, clock, required):
    client.force_login(company.users.admin)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith("/login/")


def test_the_next_address_must_be_ours(client, company, clock, required):
    client.force_login(company.users.admin)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=company.users.admin)
    done = client.post(SETUP, {"token": code(device), "next": "https://evil.example/"})
    assert done["Location"] == HOME
