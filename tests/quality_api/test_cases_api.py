"""/api/v1/cases/: each role's scope (rules §9), the filters, and every transition as a
POST action calling quality.services; a refusal is a 409 with the service's message and
changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.quality.models import Case
from pinzhi.quality.services import case_draft

from .conftest import API

pytestmark = pytest.mark.django_db

ALL = ["C1", "C2", "C3", "C4"]
# user: the cases his list returns
SCOPES = {
    "admin": ALL, "hq": ALL, "system": ALL, "sales": ALL, "operator": ALL,
    "officer": ["C1", "C2", "C3"], "clerk": ["C1", "C2", "C3"],
    "officer_sz": ["C4"],
    "manager": ["C1", "C2"],  # team T1: A001 and A002
    "agent": ["C1", "C2"],  # A001 himself
    "agent3": ["C3"],
}


def numbers(response):
    assert response.status_code == 200, response.content
    return sorted(row["case_no"] for row in response.json()["results"])


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_list_and_detail_per_role(api_as, cases, username):
    client = api_as(username)
    assert numbers(client.get(f"{API}cases/")) == SCOPES[username]
    for no in ALL:
        expected = 200 if no in SCOPES[username] else 404
        assert client.get(f"{API}cases/{no}/").status_code == expected, no


def test_unauthenticated_is_401(api, cases):
    assert api.get(f"{API}cases/").status_code == 401
    assert api.post(f"{API}cases/C1/confirm/", {}).status_code == 401
    assert api.get(f"{API}scores/", {"period": "2026H1"}).status_code == 401


def test_detail_shape(api_as, cases):
    row = api_as("officer").get(f"{API}cases/C1/").json()
    assert {k: row[k] for k in ("case_no", "agent", "team", "type", "points", "occurred_on",
                                "policy", "status", "counts", "due_on", "found_by")} == {
        "case_no": "C1", "agent": "A001", "team": "T1", "type": "misleading_sales",
        "points": "10.0", "occurred_on": "2026-03-12", "policy": "P1", "status": "draft",
        "counts": False, "due_on": "2026-04-02", "found_by": "officer"}
    # 0.5-point items keep their half point, as a string
    case_draft(agent=cases["C1"].agent, violation_code="claim_noncooperation",
               occurred_on=dt.date(2026, 6, 30), source="audit", case_no="C5")
    assert api_as("officer").get(f"{API}cases/C5/").json()["points"] == "0.5"


@pytest.mark.parametrize("query, expected", [
    ({"status": "draft"}, ["C1", "C4"]),
    ({"status": "confirmed"}, ["C2", "C3"]),
    ({"type": "notice_late"}, ["C2"]),
    ({"agent": "A001"}, ["C1", "C2"]),
    ({"occurred_from": "2026-04-01"}, ["C2", "C3", "C4"]),
    ({"occurred_to": "2026-04-01"}, ["C1", "C4"]),
    ({"occurred_from": "2026-04-01", "occurred_to": "2026-06-30"}, ["C2", "C4"]),
    ({"period": "2026H1"}, ["C1", "C2", "C4"]),
    ({"period": "2026h2"}, ["C3"]),
    ({"under": "T1"}, ["C1", "C2"]),
    ({"source": "audit"}, ALL),
])
def test_filters(api_as, cases, query, expected):
    assert numbers(api_as("hq").get(f"{API}cases/", query)) == expected


def test_filters_never_widen_scope(api_as, cases):
    client = api_as("officer")
    assert numbers(client.get(f"{API}cases/", {"agent": "A004"})) == []
    assert numbers(client.get(f"{API}cases/", {"under": "SZ"})) == []


def test_bad_period_is_400(api_as, cases):
    response = api_as("hq").get(f"{API}cases/", {"period": "2026Q1"})
    assert response.status_code == 400 and "period" in response.json()


def test_ordering_is_stable(api_as, cases):
    response = api_as("hq").get(f"{API}cases/", {"ordering": "occurred_on"})
    assert [r["case_no"] for r in response.json()["results"]] == ["C1", "C4", "C2", "C3"]


# -- transitions -------------------------------------------------------------------------

def post(client, no, action, body=None):
    return client.post(f"{API}cases/{no}/{action}/", body or {}, format="json")


def actions_of(no):
    return list(Event.objects.filter(kind="case", key=no).order_by("id")
                .values_list("action", flat=True))


def test_confirm_appeal_overturn(api_as, cases, company):
    response = post(api_as("officer"), "C1", "confirm", {"note": "录音已核实"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decided_by"], body["decision_note"], body["counts"]) == (
        "confirmed", "officer", "录音已核实", True)
    assert body["told_at"] is not None
    response = post(api_as("agent"), "C1", "appeal", {"reason": "已向客户说明"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["appeal_reason"]) == (
        "appealed", "已向客户说明")
    assert response.json()["counts"] is True  # counts until overturned
    response = post(api_as("hq"), "C1", "overturn", {"note": "录音证明已说明"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reviewed_by"],
            response.json()["counts"]) == ("overturned", "hq", False)
    assert actions_of("C1") == ["case.drafted", "case.confirmed", "case.appealed",
                                "case.overturned"]
    case = Case.objects.get(case_no="C1")
    assert (case.decided_by, case.reviewed_by) == (company.users.officer, company.users.hq)


def test_uphold(api_as, cases):
    assert post(api_as("agent"), "C2", "appeal", {"reason": "x"}).status_code == 200
    response = post(api_as("hq"), "C2", "uphold", {"note": "证据充分"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["review_note"],
            response.json()["counts"]) == ("upheld", "证据充分", True)
    assert actions_of("C2")[-1] == "case.upheld"


def test_dismiss(api_as, cases):
    response = post(api_as("officer"), "C1", "dismiss", {"note": "证据不足"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decision_note"]) == (
        "dismissed", "证据不足")
    assert actions_of("C1")[-1] == "case.dismissed"


def test_confirm_without_a_body(api_as, cases):
    response = post(api_as("officer_sz"), "C4", "confirm")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def _setup(api_as, step):
    if step in ("appeal_late", "confirmer_overturns", "confirmer_upholds", "uphold_twice",
                "agent_overturns", "appeal_twice"):
        post(api_as("officer"), "C1", "confirm")
    if step in ("confirmer_overturns", "confirmer_upholds", "uphold_twice", "agent_overturns",
                "appeal_twice"):
        post(api_as("agent"), "C1", "appeal", {"reason": "x"})
    if step == "uphold_twice":
        post(api_as("hq"), "C1", "uphold")
    if step == "confirm_dismissed":
        post(api_as("officer"), "C1", "dismiss", {"note": "证据不足"})
    if step == "appeal_late":
        Case.objects.filter(case_no="C1").update(
            told_at=timezone.now() - dt.timedelta(days=12))


# step: (user, action, body, message)
REFUSALS = {
    "confirm_confirmed": ("officer", "confirm", {}, "C2 is confirmed: only a draft can be "
                                                    "confirmed"),
    "confirm_dismissed": ("officer", "confirm", {}, "only a draft can be confirmed"),
    "dismiss_confirmed": ("officer", "dismiss", {"note": "x"}, "only a draft can be dismissed"),
    "dismiss_blank_note": ("officer", "dismiss", {"note": "  "}, "a reason is required"),
    "agent_confirms": ("agent", "confirm", {}, "agent may not decide cases"),
    "manager_confirms": ("manager", "confirm", {}, "may not decide cases"),
    "hr_system_confirms": ("system", "confirm", {}, "may not decide cases"),
    "appeal_draft": ("agent", "appeal", {"reason": "x"}, "only a confirmed case can be "
                                                         "appealed"),
    "appeal_blank_reason": ("agent", "appeal", {"reason": ""}, "an appeal needs a reason"),
    "appeal_by_officer": ("officer", "appeal", {"reason": "x"}, "only the agent of the case"),
    "appeal_by_manager": ("manager", "appeal", {"reason": "x"}, "only the agent of the case"),
    "appeal_late": ("agent", "appeal", {"reason": "x"}, "the time to appeal case C1 ended"),
    "appeal_twice": ("agent", "appeal", {"reason": "y"}, "only a confirmed case can be "
                                                         "appealed"),
    "confirmer_overturns": ("officer", "overturn", {}, "the officer who confirmed the case "
                                                       "may not decide its appeal"),
    "confirmer_upholds": ("officer", "uphold", {}, "may not decide its appeal"),
    "agent_overturns": ("agent", "overturn", {}, "may not decide cases"),
    "uphold_twice": ("hq", "overturn", {}, "not under appeal"),
    "overturn_not_appealed": ("hq", "overturn", {}, "C2 is confirmed: not under appeal"),
}
CASE_OF = {"confirm_confirmed": "C2", "dismiss_confirmed": "C2", "overturn_not_appealed": "C2"}


@pytest.mark.parametrize("step", sorted(REFUSALS))
def test_refusals_are_409_and_change_nothing(api_as, cases, step):
    _setup(api_as, step)
    user, action, body, message = REFUSALS[step]
    no = CASE_OF.get(step, "C1")
    before = Case.objects.filter(case_no=no).values().get()
    client = api_as(user)  # signing in is an audit row of its own
    n_events = Event.objects.count()
    response = post(client, no, action, body)
    assert response.status_code == 409, response.content
    assert message in response.json()["detail"]
    assert set(response.json()) == {"detail"}
    assert Case.objects.filter(case_no=no).values().get() == before
    assert Event.objects.count() == n_events


@pytest.mark.parametrize("user, no", [("officer", "C4"), ("officer_sz", "C1"),
                                      ("agent", "C3"), ("agent3", "C2"), ("manager", "C3")])
@pytest.mark.parametrize("action", ["confirm", "dismiss", "appeal", "uphold", "overturn"])
def test_actions_outside_scope_are_404(api_as, cases, user, no, action):
    before = Case.objects.filter(case_no=no).values().get()
    response = post(api_as(user), no, action, {"note": "x", "reason": "x"})
    assert response.status_code == 404
    assert Case.objects.filter(case_no=no).values().get() == before


def test_unknown_case_is_404(api_as, cases):
    assert post(api_as("hq"), "NOPE", "confirm").status_code == 404


@pytest.mark.parametrize("action, body", [("dismiss", {}), ("appeal", {})])
def test_missing_body_field_is_400(api_as, cases, action, body):
    user = "agent" if action == "appeal" else "officer"
    response = post(api_as(user), "C2" if action == "appeal" else "C1", action, body)
    assert response.status_code == 400
    assert Case.objects.get(case_no="C1").status == "draft"


def test_get_is_not_allowed_on_actions(api_as, cases):
    assert api_as("officer").get(f"{API}cases/C1/confirm/").status_code == 405


def test_voided_cases_only_on_request(api_as, cases):
    from pinzhi.quality.services import case_record_by_rule, case_void_by_rule

    case = case_record_by_rule(rule_key="receipt:P1", agent=cases["C1"].agent,
                               violation_code="receipt_not_returned",
                               occurred_on=dt.date(2026, 5, 1))
    case_void_by_rule(rule_key="receipt:P1", reason="回执已按时回收")
    client = api_as("officer")
    assert case.case_no not in numbers(client.get(f"{API}cases/"))
    assert case.case_no in numbers(client.get(f"{API}cases/", {"include_voided": "true"}))
    assert client.get(f"{API}cases/{case.case_no}/").status_code == 404
    row = client.get(f"{API}cases/{case.case_no}/", {"include_voided": "true"}).json()
    assert row["voided_at"] is not None and row["counts"] is False
