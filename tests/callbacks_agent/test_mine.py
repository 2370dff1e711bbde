"""The agent's own callbacks page (rules §4.1.2–3, §4.6): what needs him, and his
confirmation or update of the applicant's phone through the form."""

from html import escape

import pytest
from django.urls import reverse

from pinzhi.callbacks.models import CallbackStatus, ContactUpdate

from .conftest import at, call, t

pytestmark = pytest.mark.django_db
MINE = reverse("callbacks-mine")


def contact(client, policy_no, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("callbacks-mine-contact", args=[policy_no]), data,
                       headers=headers)


def row_html(html, policy_no):
    """The card of one policy: from its anchor to the next card."""
    start = html.index(f'id="{policy_no}"')
    end = html.find('class="card pz-cb-row', start)
    return html[start:end if end >= 0 else len(html)]


def test_without_an_update_the_page_shows_round_2_ten_days_after_the_failure(
        client, company, failed):
    with at(t(2, 16, 10)):
        client.force_login(company.users.agent)
        html = client.get(MINE).content.decode()
    row = row_html(html, "E3")
    assert 'data-status="agent_window"' in row and 'data-days-left="7"' in row
    assert "Round 1 failed on 2026-02-13: number not in service" in row
    assert "2026-02-23 09:00" in row  # failed 02-13 -> opens 02-23 09:00 (§4.1.3)
    assert "139****5678" in row and "13912345678" not in html
    assert "陈静" in row


def test_an_update_on_day_3_opens_round_2_at_once(client, company, failed):
    with at(t(2, 16, 11)):
        client.force_login(company.users.agent)
        response = contact(client, "E3", action="update", phone="139 1234 0000")
        assert response.status_code == 302 and response.url == MINE + "#E3"
        page = client.get(response.url).content.decode()
    status = CallbackStatus.objects.get(policy=failed)
    assert status.status == "round_2" and status.round_2_opens_at == t(2, 16, 11)
    assert status.phone == "13912340000"
    assert ContactUpdate.objects.get(policy=failed).phone == "13912340000"
    assert "Round 2 of its callback opens now." in page
    assert 'data-status="round_2"' in row_html(page, "E3")  # still listed: under way


def test_confirming_the_same_number_counts(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        contact(client, "E3", action="confirm")
    assert ContactUpdate.objects.get(policy=failed).phone == "13912345678"
    assert CallbackStatus.objects.get(policy=failed).status == "round_2"


@pytest.mark.parametrize("phone", ["13800000001", "020-83980000"])  # his own; GD's landline
def test_an_agents_or_a_branchs_number_is_refused_next_to_the_form(client, company, failed,
                                                                    phone):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        response = contact(client, "E3", action="update", phone=phone)
    assert response.status_code == 200
    row = row_html(response.content.decode(), "E3")
    assert 'id="refusal-E3"' in row and escape("is an agent's or a branch's number") in row
    assert f'value="{phone}"' in row  # what he typed stays for him to correct
    assert not ContactUpdate.objects.exists()
    assert CallbackStatus.objects.get(policy=failed).status == "agent_window"


def test_a_refusal_is_shown_in_chinese_on_a_chinese_page(client, company, failed):
    client.cookies.pop("django_language")
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        html = contact(client, "E3", action="update", phone="13800000001").content.decode()
    assert 'id="refusal-E3"' in html and 'lang="zh-hans"' in html
    assert not ContactUpdate.objects.exists()


def test_an_empty_new_number_records_nothing(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        response = contact(client, "E3", action="update", phone=" ")
    assert 'id="refusal-E3"' in response.content.decode()
    assert not ContactUpdate.objects.exists()


def test_another_agents_policy_is_a_404(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent3)
        assert contact(client, "E3", action="confirm").status_code == 404
        assert 'id="E3"' not in client.get(MINE).content.decode()
        client.force_login(company.users.agent)
        assert contact(client, "P4", action="confirm").status_code == 404
    assert not ContactUpdate.objects.exists()


def test_a_manager_sees_his_own_customers_not_his_teams(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.manager)  # A002, manager of A001's team
        assert 'id="E3"' not in client.get(MINE).content.decode()
        assert contact(client, "E3", action="confirm").status_code == 404


def test_a_user_without_an_agent_record_has_no_such_page(client, company):
    client.force_login(company.users.officer)
    assert client.get(MINE).status_code == 404


def test_with_htmx_only_the_row_comes_back(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        refused = contact(client, "E3", htmx=True, action="update",
                          phone="13800000002").content.decode()
        done = contact(client, "E3", htmx=True, action="confirm").content.decode()
    assert "<html" not in refused and 'id="refusal-E3"' in refused
    assert "<html" not in done and 'data-status="round_2"' in done
    assert "Round 2 of its callback opens now." in done


def test_a_failed_round_2_is_listed_with_the_withheld_commission(client, company, failed):
    with at(t(2, 14, 15)):
        client.force_login(company.users.agent)
        contact(client, "E3", action="confirm")
    call(failed, company.users.operator, t(2, 15, 10), "refused_self")
    with at(t(2, 16, 10)):
        client.force_login(company.users.agent)
        row = row_html(client.get(MINE).content.decode(), "E3")
    assert 'data-status="manual"' in row and "Round 2 failed on 2026-02-15" in row
    assert "applicant refused the callback" in row and "withheld" in row


def test_a_false_phone_on_file_is_listed_and_the_home_page_counts_it(client, company):
    from pinzhi.callbacks.evaluation import evaluate
    from tests.factories import make_policy

    policy = make_policy("F1", company.agents["A001"], company.products["TRAD10"],
                         applicant_phone="020-83980000", printed_on=t(3, 1).date())
    evaluate(as_of=t(3, 2))  # round 1 not open yet: waiting, with a false number
    client.force_login(company.users.agent)
    row = row_html(client.get(MINE).content.decode(), "F1")
    assert 'data-status="waiting"' in row and "pz-phone-false" in row
    assert 'id="confirm-form-F1"' not in row  # confirming a false number makes no sense
    assert 'id="update-form-F1"' in row
    summary = client.get(reverse("callbacks-mine-summary")).content.decode()
    assert 'id="callbacks-waiting"' in summary and ">1<" in summary
    assert 'id="my-attention"' in client.get(reverse("home")).content.decode()
    assert CallbackStatus.objects.get(policy=policy).phone_false


def test_past_the_tenth_day_round_2_is_shown_open_before_the_next_evaluation(
        client, company, failed):
    with at(t(2, 23, 10)):  # stored state still agent_window: no evaluation since
        client.force_login(company.users.agent)
        row = row_html(client.get(MINE).content.decode(), "E3")
    assert 'data-days-left="0"' in row and "Round 2 opened on" in row
