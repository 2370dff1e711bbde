"""Issue 9, access: a user of one branch never reaches another branch's objects by API.

Every resource of /api/v1/ (read from the router, so a new one cannot slip by) is asked
for the JS branch's object (tests/other_branch.py) by every role of the small company
whose scope is GD or narrower: 404, and nothing of JS in the answer. A 403 is accepted
only where the role gets a 403 on the same resource for its own branch's twin object
(the role may not use the resource at all). The roles that see the whole company by
design get 200, so a key that names nothing would fail here first.
"""

import pytest

from pinzhi.api.urls import router
from pinzhi.api.urls import urlpatterns as api_urlpatterns
from tests.other_branch import build_other_branch, markers

from .helpers import API

# Every user of tests.factories.build_company whose scope is not the whole company.
BRANCH_ROLES = ["officer", "officer_sz", "sales", "clerk", "operator", "manager", "agent",
                "agent3"]

# resource -> the key of an object of tests.other_branch.build_objects (by its
# viewset's lookup_field), for GET /api/v1/<resource>/<key>/.
DETAIL = {
    "units": lambda o: o.unit.code,
    "agents": lambda o: o.agent.code,
    "policies": lambda o: o.policy.policy_no,
    "cases": lambda o: o.case.case_no,
    "violation-types": lambda o: o.violation_type.code,  # a branch's own catalogue entry
    "receipts": lambda o: o.receipt.policy.policy_no,
    "valuable-documents": lambda o: o.document.doc_no,
    "notices": lambda o: o.notice.notice_no,
    "complaints": lambda o: o.complaint.complaint_no,
    "training-sessions": lambda o: o.session.session_no,
    "remedial-trainings": lambda o: str(o.remedial.pk),
    "candidates": lambda o: o.candidate.candidate_no,
    "departures": lambda o: o.departure.agent.code,
    "rank-decisions": lambda o: str(o.rank_decision.pk),
    "inspection-plans": lambda o: o.plan.plan_no,
    "inspection-findings": lambda o: o.finding.finding_no,
    "grievances": lambda o: o.grievance.grievance_no,
    "commendations": lambda o: o.commendation.commendation_no,
    "adjustments": lambda o: str(o.adjustment.pk),
}
# Resources with a detail that belongs to no branch: the whole company's reference data.
SHARED = {
    "products": "the product catalogue (the JS branch sells GD's products)",
    "ranks": "the rank ladder",
}
# Resources without a detail by key: only their lists are checked.
LIST_ONLY = {"scores", "callbacks", "settlements"}
LIST_PARAMS = {"scores": "period=2026H1"}

# Other GET paths that take an object's key: route -> URL of the object.
EXTRA = {
    "agents/unmask": lambda o: f"agents/{o.agent.code}/unmask/?field=id_number",
    "policies/unmask": lambda o: f"policies/{o.policy.policy_no}/unmask/?field=applicant_phone",
    "policies/<str:policy_no>/callback/": lambda o: f"policies/{o.policy.policy_no}/callback/",
    "statements/<str:agent_code>/forecast/":
        lambda o: f"statements/{o.agent.code}/forecast/",
    r"^statements/(?P<agent_code>[^/]+)/(?P<month>\d{4}-\d{2})/$":
        lambda o: f"statements/{o.agent.code}/2026-03/",
    "indicators/?unit": lambda o: f"indicators/?unit={o.unit.code}",
    "indicators/?agent": lambda o: f"indicators/?agent={o.agent.code}",
}
# GET paths of a month, not of an object: their answers must hold nothing of JS.
MONTH_LISTS = {
    "settlements/agents": "settlements/2026-03/agents/?page_size=500",
    "settlements/lines": "settlements/2026-03/lines/?page_size=500",
    "promotion/": "promotion/?period=2026H1",
}
# Non-GET routes (actions on an object) are not read here.
POST_ONLY = {"policies/<str:policy_no>/callback/attempts/"}


@pytest.fixture
def branches(company):
    return build_other_branch(company)


def _leaks(response, branch) -> list[str]:
    body = response.content.decode()
    return [m for m in markers(branch) if m in body]


def _refused(client, url_of, branch) -> None:
    """The JS object is a 404 (or the role's 403 for the resource), holding nothing of JS."""
    response = client.get(API + url_of(branch.js))
    assert response.status_code in (403, 404), response.content[:300]
    if response.status_code == 403:
        twin = client.get(API + url_of(branch.gd))
        assert twin.status_code == 403, (
            "403 for JS's object but not for its own branch's: must be 404")
    assert _leaks(response, branch) == []


# -- coverage: a new resource or key-taking path needs a row in the tables above -------

def test_every_resource_is_mapped():
    registered = {prefix: viewset for prefix, viewset, _ in router.registry}
    assert set(registered) == set(DETAIL) | set(SHARED) | LIST_ONLY
    for prefix, viewset in registered.items():
        assert hasattr(viewset, "retrieve") == (prefix not in LIST_ONLY), prefix


def test_every_key_taking_get_path_is_mapped():
    actions = {
        f"{prefix}/{action.url_path}"
        for prefix, viewset, _ in router.registry
        for action in viewset.get_extra_actions()
        if action.detail and "get" in action.mapping
    }
    # The paths the areas add after the router's (callbacks, statements, indicators).
    added = {str(p.pattern) for p in api_urlpatterns[len(router.urls):]}
    mapped = {route.split("?")[0] for route in EXTRA} | set(MONTH_LISTS) | POST_ONLY
    assert actions | added <= mapped | {"indicators/"}  # indicators: by ?unit= / ?agent=
    assert {"indicators/?unit", "indicators/?agent"} <= set(EXTRA)


# -- the roles that see the whole company do see JS (the keys name real objects) -------

@pytest.mark.parametrize("resource", sorted(DETAIL))
def test_admin_reaches_every_js_object(api_as, branches, resource):
    response = api_as("admin").get(f"{API}{resource}/{DETAIL[resource](branches.js)}/")
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("route", sorted(EXTRA))
def test_admin_reaches_every_js_path(api_as, branches, route):
    if route.startswith("^statements"):
        pytest.skip("no statement is computed for 2026-03: a 404 for everyone")
    response = api_as("admin").get(API + EXTRA[route](branches.js))
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("username", ["hq", "system"])
def test_head_office_and_hr_reach_js(api_as, branches, username):
    client = api_as(username)
    for resource in ("agents", "policies", "units", "cases"):
        url = f"{API}{resource}/{DETAIL[resource](branches.js)}/"
        assert client.get(url).status_code == 200, url
    assert "B001" in client.get(f"{API}agents/?page_size=500").content.decode()


# -- every branch role, every resource: 404 ------------------------------------------

@pytest.mark.parametrize("resource", sorted(DETAIL))
@pytest.mark.parametrize("username", BRANCH_ROLES)
def test_detail_of_other_branch_is_404(api_as, branches, username, resource):
    key_of = DETAIL[resource]
    _refused(api_as(username), lambda o: f"{resource}/{key_of(o)}/", branches)


@pytest.mark.parametrize("route", sorted(EXTRA))
@pytest.mark.parametrize("username", BRANCH_ROLES)
def test_paths_of_other_branch_are_404(api_as, branches, username, route):
    _refused(api_as(username), EXTRA[route], branches)


@pytest.mark.parametrize("username", BRANCH_ROLES)
def test_lists_hold_nothing_of_other_branch(api_as, branches, username):
    client = api_as(username)
    for prefix, *_ in router.registry:
        url = f"{API}{prefix}/?page_size=500&{LIST_PARAMS.get(prefix, '')}"
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.content[:300])
        assert _leaks(response, branches) == [], url
    for url in MONTH_LISTS.values():
        response = client.get(API + url)
        assert response.status_code in (200, 403, 404), (url, response.content[:300])
        assert _leaks(response, branches) == [], url


@pytest.mark.parametrize("username", BRANCH_ROLES)
def test_filters_by_js_keys_find_nothing(api_as, branches, username):
    # Asking a list for JS's unit or agent by name must not widen the scope either.
    client = api_as(username)
    for url in ("agents/?under=JS", "policies/?agent=B001", "cases/?agent=B001",
                "complaints/?agent=B001", "scores/?period=2026H1&unit=JS"):
        response = client.get(API + url)
        assert response.status_code in (200, 400, 403), (url, response.content[:300])
        assert _leaks(response, branches) == [], url


def test_the_lists_can_fail(api_as, branches):
    # The same lists as the whole company's roles see them do hold JS's rows.
    for url in ("cases/", "agents/?page_size=500", "complaints/"):
        assert _leaks(api_as("admin").get(API + url), branches) != [], url


@pytest.mark.parametrize("username", BRANCH_ROLES)
def test_that_another_branch_settled_a_month_is_not_told(api_as, branches, username):
    """Only JS settled February: for GD's users the month is as unsettled as one nobody
    settled (404), while head office sees it settled."""
    import datetime as dt

    from pinzhi.settlement.models import Settlement

    js = branches.js.unit
    Settlement.objects.create(month=dt.date(2026, 2, 1), unit=js, scope_path=js.path,
                              cutoff=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    for what in ("lines", "agents"):
        url = f"{API}settlements/2026-02/{what}/"
        assert api_as(username).get(url).status_code in (403, 404), (username, what)
        assert api_as("hq").get(url).status_code == 200
