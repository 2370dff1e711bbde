"""`/api/v1/indicators/`: a unit's or an agent's figures against the objectives in force,
through the user's scope; in the schema."""

import datetime as dt
from decimal import Decimal

from rest_framework.test import APIClient

from pinzhi.reports.models import Target

URL = "/api/v1/indicators/"
JANUARY = {"from": "2026-01-01", "to": "2026-01-31", "as_of": "2026-06-01T00:00:00"}


def client(company, username):
    c = APIClient()
    c.force_authenticate(getattr(company.users, username))
    return c


def figures(body):
    return {f["code"]: f for f in body["figures"]}


def test_a_unit_against_its_objectives(january):
    Target.objects.create(indicator="callback_success_rate", unit=january.units["GZ"],
                          valid_from=dt.date(2026, 1, 1), value=Decimal("0.6"))
    body = client(january, "officer").get(URL, {"unit": "GZ", **JANUARY}).json()
    assert (body["code"], body["level"], body["first"], body["last"]) == (
        "GZ", "subbranch", "2026-01-01", "2026-01-31")
    f = figures(body)
    assert list(f)[:3] == ["policies", "premium", "commission"]
    assert (f["policies"]["value"], f["premium"]["value"]) == ("3", "6000.00")
    # GZ's own objective (0.6) overrides head office's 0.95: 0.6667 meets it.
    assert f["callback_success_rate"] == {"code": "callback_success_rate", "value": "0.6667",
                                          "target": "0.6000", "direction": "at_least",
                                          "met": True}
    assert f["persistency_13m"]["met"] is True and f["persistency_13m"]["target"] == "0.8500"
    assert f["policies"]["target"] is None and f["policies"]["met"] is None


def test_an_empty_unit_neither_meets_nor_misses(january):
    body = client(january, "officer_sz").get(URL, {"unit": "SZ", **JANUARY}).json()
    f = figures(body)
    assert f["callback_success_rate"]["value"] is None
    assert f["callback_success_rate"]["met"] is None


def test_scope_and_agents(january):
    assert client(january, "officer_sz").get(URL, {"unit": "GZ", **JANUARY}).status_code == 404
    agent = client(january, "agent")  # A001
    assert agent.get(URL, {"agent": "A003", **JANUARY}).status_code == 404
    body = agent.get(URL, {"agent": "A001", **JANUARY}).json()
    assert figures(body)["policies"]["value"] == "2" and body["level"] == "agent"
    assert APIClient().get(URL, {"unit": "GZ"}).status_code in (401, 403)
    bad = client(january, "officer").get(URL, {"unit": "GZ", "from": "2026-02-01",
                                               "to": "2026-01-01"})
    assert bad.status_code == 400


def test_in_the_schema(company):
    schema = client(company, "admin").get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/indicators/" in schema.content


def test_the_promotion_feed_for_hr(january):
    from pinzhi.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=january.users.system, name="hr")
    hr = APIClient()
    hr.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    rows = hr.get("/api/v1/promotion/", {"period": "2026H1", "as_of": "2026-06-01"}).json()
    assert [r["agent_code"] for r in rows] == ["A001", "A002", "A003", "A004"]
    assert rows[0]["callback_target_met"] == "false" and rows[0]["standing"] == "good"
    own = client(january, "officer_sz").get("/api/v1/promotion/", {"period": "2026H1",
                                                                    "as_of": "2026-06-01"})
    assert [r["agent_code"] for r in own.json()] == ["A004"]  # his scope only
    assert hr.get("/api/v1/promotion/", {"period": "2026H3"}).status_code == 400


def test_the_agents_home_page_shows_his_quality(january):
    from django.test import Client

    phone = Client()
    phone.force_login(january.users.agent)  # A001
    phone.cookies["django_language"] = "en"
    import time_machine

    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        page = phone.get("/").content.decode()
    assert 'id="my-quality" data-period="2026H1"' in page
    assert 'data-standing="good"' in page
    # One of his two January callbacks succeeded: 50 %, under the 95 % objective.
    assert 'data-indicator="callback_success_rate"' in page and "50%" in page
    assert "What I owe" in page
