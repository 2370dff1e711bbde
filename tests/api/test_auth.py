"""Authentication: session, API tokens (hashed, revocable) and the `token` command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pinzhi.accounts.models import ApiToken
from pinzhi.core.models import Event

from .helpers import ALL_POLICIES, API, sorted_keys


def token_client(api, raw):
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return api


@pytest.mark.parametrize("path", ["policies/", "agents/", "units/", "products/",
                                  "policies/P1/", "agents/A001/unmask/?field=phone"])
def test_unauthenticated_is_401(api, company, path):
    response = api.get(f"{API}{path}")
    assert response.status_code == 401
    # The first authenticator is the token: clients are told how to authenticate.
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_system_user_reads_everything(api, company):
    token, raw = ApiToken.issue(user=company.users.system, name="payroll")
    response = token_client(api, raw).get(f"{API}policies/")
    assert sorted_keys(response, "policy_no") == ALL_POLICIES
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_of_agent_is_scoped_like_his_session(api, company):
    _, raw = ApiToken.issue(user=company.users.agent, name="phone app")
    client = token_client(api, raw)
    assert sorted_keys(client.get(f"{API}policies/"), "policy_no") == ["P1"]
    assert client.get(f"{API}policies/P4/").status_code == 404


def test_revoked_token_is_401(api, company):
    token, raw = ApiToken.issue(user=company.users.system, name="payroll")
    client = token_client(api, raw)
    assert client.get(f"{API}policies/").status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get(f"{API}policies/").status_code == 401


@pytest.mark.parametrize("header", ["Token pz_not-a-token", "Token", "Bearer whatever"])
def test_bad_token_is_401(api, company, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    assert api.get(f"{API}policies/").status_code == 401


def test_token_of_inactive_user_is_401(api, company):
    _, raw = ApiToken.issue(user=company.users.system, name="payroll")
    company.users.system.is_active = False
    company.users.system.save()
    assert token_client(api, raw).get(f"{API}policies/").status_code == 401


def test_raw_token_is_not_stored(company):
    token, raw = ApiToken.issue(user=company.users.system, name="payroll")
    assert raw.startswith(token.prefix) and len(raw) > 30
    assert raw not in {token.digest, token.prefix}


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_create_list_revoke(api, company):
    out, err = run("create", "hr", "--name", "payroll export")
    raw = out.strip()
    assert raw.startswith("pz_") and "cannot be shown again" in err
    client = token_client(api, raw)
    assert client.get(f"{API}policies/").status_code == 200

    listing, _ = run("list", "hr")
    prefix = raw[:8]
    assert prefix in listing and "payroll export" in listing
    assert raw not in listing  # only the prefix is ever shown again
    assert run("list", "agent")[0].count("\n") == 1  # the header only

    out, _ = run("revoke", prefix)
    assert "revoked" in out
    assert client.get(f"{API}policies/").status_code == 401
    assert list(Event.objects.filter(kind="user", key="hr").values_list("action", flat=True)
                .order_by("id")) == ["token_create", "token_revoke"]


def test_command_refuses(company):
    with pytest.raises(CommandError, match="no user"):
        run("create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="no active token"):
        run("revoke", "pz_XXXXX")
    token, _ = ApiToken.issue(user=company.users.system, name="payroll")
    run("revoke", token.prefix)
    with pytest.raises(CommandError, match="no active token"):
        run("revoke", token.prefix)  # already revoked


def test_command_refuses_an_ambiguous_prefix(company):
    a, _ = ApiToken.issue(user=company.users.system, name="one")
    b, _ = ApiToken.issue(user=company.users.system, name="two")
    ApiToken.objects.filter(pk=b.pk).update(prefix=a.prefix)
    with pytest.raises(CommandError, match="several"):
        run("revoke", a.prefix)
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 0
