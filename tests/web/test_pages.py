"""Lists (search, filters, pagination, voided rows), languages, sign-in and sign-out."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pinzhi.policies.models import Policy
from tests.factories import PASSWORD, make_policy

pytestmark = pytest.mark.django_db


def _listed(html, keys):
    return {k for k in keys if f'href="/policies/{k}/"' in html}


def _void(policy, user, reason):
    Policy.objects.filter(pk=policy.pk).update(
        voided_at=timezone.now(), voided_by=user, void_reason=reason
    )


def test_voided_policy_is_hidden_from_lists_and_bannered_on_detail(client, company):
    _void(company.policies["P2"], company.users.officer, "录入重复")
    client.force_login(company.users.officer)
    html = client.get(reverse("policy-list")).content.decode()
    assert _listed(html, ["P1", "P2", "P3"]) == {"P1", "P3"}
    html = client.get(reverse("agent-detail", args=["A002"])).content.decode()
    assert 'href="/policies/P2/"' not in html
    html = client.get(reverse("policy-detail", args=["P2"])).content.decode()
    assert 'id="void-banner"' in html and "已作废" in html and "录入重复" in html
    html = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    assert 'id="void-banner"' not in html


def test_voided_agent_hidden_from_lists(client, company):
    from pinzhi.org.models import Agent

    Agent.objects.filter(code="A003").update(voided_at=timezone.now(), void_reason="x")
    client.force_login(company.users.officer)
    html = client.get(reverse("agent-list")).content.decode()
    assert 'href="/agents/A003/"' not in html and 'href="/agents/A001/"' in html
    assert client.get(reverse("agent-detail", args=["A003"])).status_code == 200


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "P3"}, {"P3"}),
        ({"q": "张伟"}, {"P1"}),  # agent's name
        ({"q": "A002"}, {"P2"}),  # agent's code
        ({"product": "TRAD10"}, {"P1"}),
        ({"unit": "T2"}, {"P3"}),
        ({"unit": "GZ01"}, {"P1", "P2", "P3"}),
        ({"status": "lapsed"}, {"P3"}),
        ({"unit": "SZ"}, {"P1", "P2", "P3"}),  # out of scope: the filter is ignored
    ],
)
def test_policy_search_and_filters(client, company, params, expected):
    Policy.objects.filter(policy_no="P3").update(status="lapsed")
    client.force_login(company.users.officer)
    html = client.get(reverse("policy-list"), params).content.decode()
    assert _listed(html, ["P1", "P2", "P3", "P4"]) == expected


def test_search_by_applicant_name(client, company):
    make_policy("P9", company.agents["A001"], company.products["ACC1"], applicant_name="赵敏")
    client.force_login(company.users.agent)
    html = client.get(reverse("policy-list"), {"q": "赵敏"}).content.decode()
    assert _listed(html, ["P1", "P9"]) == {"P9"}


def test_search_by_a_customers_full_phone_or_id_number(client, company):
    """A customer calls: his full number finds his policy though it is sealed; a part of
    it finds nothing (a part cannot be looked for in a sealed value)."""
    make_policy("P9", company.agents["A001"], company.products["ACC1"],
                applicant_phone="13611112222", applicant_id_number="11010519491231002X",
                insured_id_number="110105194912310038")
    client.force_login(company.users.officer)

    def found(q):
        html = client.get(reverse("policy-list"), {"q": q}).content.decode()
        return _listed(html, ["P1", "P2", "P3", "P9"])

    assert found("13611112222") == {"P9"}
    assert found("+86 136 1111 2222") == {"P9"}
    assert found("11010519491231002x") == {"P9"}  # the check letter in either case
    assert found("110105194912310038") == {"P9"}  # the insured's
    assert found("1361111") == set()


def test_policy_list_is_paginated(client, company):
    for i in range(30):
        make_policy(f"X{i:03d}", company.agents["A001"], company.products["TRAD10"],
                    printed_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
    client.force_login(company.users.agent)
    page1 = client.get(reverse("policy-list")).content.decode()
    page2 = client.get(reverse("policy-list"), {"page": 2}).content.decode()
    # 31 policies, newest printed first: P1, then X029 … X006 on page 1; a table row and a
    # phone card each.
    rows = re.compile(r'href="/policies/\w+/"')
    assert len(rows.findall(page1)) == 2 * 25
    assert 'href="/policies/X006/"' in page1 and 'href="/policies/X005/"' not in page1
    assert len(rows.findall(page2)) == 2 * 6 and "page=1" in page2


def test_money_is_yuan_with_two_decimals(client, company):
    client.force_login(company.users.officer)
    html = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    assert "¥10,000.00" in html and "¥1,200.00" in html


def test_chinese_by_default_and_language_switch_to_english(client, company):
    client.force_login(company.users.officer)
    html = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    assert '<html lang="zh-hans">' in html and "投保人" in html
    assert 'id="lang-zh-hans"' in html and 'id="lang-en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/policies/P1/"})
    assert response.status_code == 302 and response["Location"] == "/policies/P1/"
    html = client.get(reverse("policy-detail", args=["P1"])).content.decode()
    assert '<html lang="en">' in html and "Applicant ID number" in html
    assert "投保人" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "投保人" in client.get(reverse("policy-detail", args=["P1"])).content.decode()


def test_login_page_sign_in_and_sign_out(client, company):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and "登录" in response.content.decode()
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_history_lists_events_newest_first(client, company):
    from pinzhi.core.models import Event

    Event.objects.create(action="update", kind="agent", key="A001",
                         at=timezone.now() - dt.timedelta(days=1),
                         data={"changes": {"rank": ["业务员", "业务主任"]}})
    Event.objects.create(action="void", kind="agent", key="A001", data={"reason": "测试原因"})
    client.force_login(company.users.officer)
    html = client.get(reverse("agent-detail", args=["A001"])).content.decode()
    assert html.index("测试原因") < html.index("业务主任")
    assert "职级" in html  # the changed field, by its translated label
