"""The commendation pages by the test client: the list in scope filtered by period and
kind, the record form with a refusal shown, the panel on the agent's page (issue 8)."""

import re

import pytest
from django.urls import reverse

from pinzhi.commendations.models import Commendation

from .conftest import commend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def awarded(company):
    commend(company, "J1", on=(3, 1), kind="integrity")
    commend(company, "J2", on=(5, 1), kind="sales", title="季度销售冠军")
    commend(company, "J4", agent="A004", unit="SZ")
    return company


def listed(html: str) -> set[str]:
    return set(re.findall(r'<tr id="commendation-(J\d+)"', html))


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_list_in_scope_and_its_filters(client, awarded):
    users, url = awarded.users, reverse("commendations-list")
    assert listed(get(client, users.manager, url).content.decode()) == {"J1", "J2"}
    assert listed(client.get(url + "?start=2026-04-01&end=2026-06-01").content.decode()) \
        == {"J2"}
    assert listed(client.get(url + "?kind=integrity").content.decode()) == {"J1"}
    assert listed(client.get(url + "?start=nonsense").content.decode()) == {"J1", "J2"}
    assert 'id="record-form"' not in client.get(url).content.decode()
    assert listed(get(client, users.officer_sz, url).content.decode()) == {"J4"}
    assert listed(get(client, users.agent, url).content.decode()) == {"J1", "J2"}
    assert get(client, users.officer_sz, reverse("commendations-detail", args=["J1"])
               ).status_code == 404


def test_record_from_the_form(client, awarded):
    client.force_login(awarded.users.sales)
    form = {"agent_code": "A003", "awarded_on": "2026-05-30", "kind": "team",
            "title": "优秀团队", "reason": "继续率第一", "unit": awarded.units["T3"].pk}
    refused = client.post(reverse("commendations-record"), form)
    assert "T3 is not above agent A003" in refused.content.decode()
    done = client.post(reverse("commendations-record"), {**form, "unit":
                                                         awarded.units["GZ"].pk})
    made = Commendation.objects.get(title="优秀团队")
    assert done["Location"] == made.get_absolute_url() and made.agent.code == "A003"


def test_the_panel_beside_the_cases(client, awarded):
    page = get(client, awarded.users.manager, reverse("agent-detail", args=["A001"]))
    html = page.content.decode()
    assert 'id="agent-commendations"' in html and "季度销售冠军" in html
    page = get(client, awarded.users.officer, reverse("agent-detail", args=["A003"]))
    assert 'id="agent-commendations"' not in page.content.decode()  # none: no panel
