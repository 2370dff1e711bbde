"""/api/v1/notices/: read-only, by notice_no, in scope; the state and the case as of
today or `?as_of=DATE` (rules §7.4)."""

import pytest
from rest_framework.test import APIClient

from pinzhi.notices.services import notice_delivered

from .conftest import d, issue

pytestmark = pytest.mark.django_db
API = "/api/v1/notices/"


@pytest.fixture
def api(company):
    issue(company, "N1")
    issue(company, "N4", policy="P4", agent="A004", by=company.users.admin)
    client = APIClient()
    client.force_authenticate(company.users.officer)
    return client


def test_a_notice_with_its_state_and_case(api, company):
    notice_delivered(notice=company.policies["P1"].notices.get(), delivered_on=d(5, 14),
                     by=None)
    body = api.get(API + "N1/").json()
    assert body["policy_no"] == "P1" and body["agent_code"] == "A001"
    assert (body["delivered_on"], body["state"], body["case_code"], body["case_occurred_on"]) \
        == ("2026-05-14", "late", "notice_late", "2026-05-11")
    assert body["case_no"].startswith("Q")
    before = api.get(API + "N1/?as_of=2026-05-10").json()
    assert (before["state"], before["case_code"]) == ("to_deliver", None)
    assert api.get(API + "N1/?as_of=nope").status_code == 400


def test_the_list_is_the_scope_and_read_only(api, company):
    body = api.get(API).json()
    assert [n["notice_no"] for n in body["results"]] == ["N1"]
    assert api.get(API + "N4/").status_code == 404
    assert api.post(API, {"notice_no": "X"}).status_code == 405
    assert api.get(API + "?agent=A002").json()["count"] == 0
    hq = APIClient()
    hq.force_authenticate(company.users.hq)
    assert hq.get(API).json()["count"] == 2
