"""Issue 9: schemathesis against the OpenAPI schema, as each role.

The schema is the one `/api/schema/` serves; schemathesis generates requests from it
(hypothesis, derandomised: the same requests on every run) and sends them to Django's
WSGI application signed in with an API token of the role's user. Every answer must be:

- no server error (5xx);
- of a documented status code, or one of the framework's generic client errors (400,
  401, 403, 404, 405) in DRF's error shape (see `documented_or_generic_error`);
- of the documented content type, with a body matching the documented schema.

GET operations are asked by every role, POST operations by the officer, an agent and
head office. Path keys are both generated and real: the GD objects of
tests/other_branch.py (the role may see them) and their JS twins (another branch: 404).
Every operation is run and every failure reported at once.
"""

from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pinzhi.accounts.models import ApiToken
from pinzhi.assessments.models import Rank
from pinzhi.wsgi import application
from tests.api.test_other_branch import DETAIL
from tests.other_branch import build_other_branch

GET_ROLES = ["admin", "hq", "officer", "sales", "clerk", "operator", "manager", "agent",
             "system"]
POST_ROLES = ["officer", "agent", "hq"]

# Examples per operation: generated keys, and real keys (GD's or JS's object).
FUZZED_EXAMPLES = 2
REAL_KEY_EXAMPLES = 3
# Operations without a key in their path: only generated requests.
KEYLESS_EXAMPLES = 5

# The framework's own client errors: any operation may answer them (bad filter value,
# no such page or row, a role that may not use the resource). Documenting them on
# every operation would need a drf-spectacular postprocessing hook in settings.
GENERIC_ERRORS = {400, 401, 403, 404, 405}

# Query parameters an operation needs to say anything but 400: its plain example.
REQUIRED_QUERY = {
    "/api/v1/agents/{code}/unmask/": {"field": "phone"},
    "/api/v1/policies/{policy_no}/unmask/": {"field": "applicant_phone"},
    "/api/v1/scores/": {"period": "2026H1"},
    "/api/v1/promotion/": {"period": "2026H1"},
    "/api/v1/indicators/": {"from": "2026-01-01", "to": "2026-05-31"},
}

_schema_cache = {}


def _is_drf_error(body) -> bool:
    """DRF's error bodies: {"detail": "..."}, {"field": ["..."]} or ["..."]."""
    if isinstance(body, list):
        return all(isinstance(item, str) for item in body)
    return isinstance(body, dict) and bool(body) and all(
        isinstance(value, str | list | dict) for value in body.values())


def documented_or_generic_error(ctx, response, case):
    """schemathesis' status_code_conformance, but a generic client error in DRF's shape
    is accepted on any operation (see GENERIC_ERRORS)."""
    __tracebackhide__ = True
    if response.status_code in GENERIC_ERRORS and str(response.status_code) not in (
            case.operation.responses.status_codes):
        try:
            body = response.json()
        except ValueError:
            body = None
        assert _is_drf_error(body), (
            f"{response.status_code} with a body that is not DRF's error shape: "
            f"{response.text[:300]}")
        return None
    return status_code_conformance(ctx, response, case)


CHECKS = [not_a_server_error, documented_or_generic_error, content_type_conformance,
          response_schema_conformance]


def load_schema(token: str):
    """The schema `/api/schema/` serves (loaded once per test session)."""
    if "schema" not in _schema_cache:
        _schema_cache["schema"] = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", application, headers=auth(token))
    return _schema_cache["schema"]


def auth(token: str) -> dict:
    return {"Authorization": f"Token {token}"}


def real_keys(path: str, objects: SimpleNamespace) -> dict:
    """The path parameters of `path` naming one of `objects` (GD's or JS's set)."""
    resource = path.removeprefix("/api/v1/").split("/")[0]
    agent = objects.agent.code
    keys = {"month": "2026-03", "agent_code": agent, "policy_no": objects.policy.policy_no}
    if resource in DETAIL:
        lookup = path.split("{")[1].split("}")[0]
        keys[lookup] = DETAIL[resource](objects)
    keys["code"] = {
        "products": "TRAD10",
        "ranks": Rank.objects.order_by("code").values_list("code", flat=True).first(),
    }.get(resource, keys.get("code"))
    return keys


def path_names(operation) -> list[str]:
    return [p.name for p in operation.path_parameters]


def run_operation(operation, headers: dict, strategies: list) -> str | None:
    """Run every strategy's examples against the app; the first failure, as text."""
    label = operation.label

    def check(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    def generated(strategy, count):
        # A new function each time: hypothesis decorates a function once.
        @settings(hypothesis_settings, max_examples=count)
        @given(case=strategy)
        def examples(case):
            check(case)

        return examples

    hypothesis_settings = settings(
        deadline=None, derandomize=True, database=None, print_blob=False,
        suppress_health_check=list(HealthCheck))
    try:
        # A plain request first, with the keys of the role's own objects.
        plain, examples = strategies[0], strategies[1:]
        if plain is not None:
            check(plain)
        for strategy, count in examples:
            generated(strategy, count)()
    except (Exception, BaseExceptionGroup) as failure:  # noqa: B902 - reported, not hidden
        return f"{label}: {failure}"
    return None


def strategies_for(operation, world) -> list:
    """[a plain case or None, (strategy, examples), ...] for one operation."""
    names = path_names(operation)
    if not names:
        query = REQUIRED_QUERY.get(operation.path)
        plain = operation.Case(query=query) if operation.method.upper() == "GET" else None
        return [plain, (operation.as_strategy(), KEYLESS_EXAMPLES)]
    own, other = (
        {name: real_keys(operation.path, objects)[name] for name in names}
        for objects in (world.gd, world.js))
    plain = None
    if operation.method.upper() == "GET":
        plain = operation.Case(path_parameters=own, query=REQUIRED_QUERY.get(operation.path))
    real = st.sampled_from([own, other]).flatmap(
        lambda keys: operation.as_strategy(path_parameters=keys))
    return [plain, (real, REAL_KEY_EXAMPLES), (operation.as_strategy(), FUZZED_EXAMPLES)]


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does:
    Django's WSGI handler closes it at each request's start and end otherwise, and on
    PostgreSQL that ends the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def world(company, travel, same_connection):
    travel("2026-06-01T09:00")
    branches = build_other_branch(company)
    return SimpleNamespace(company=company, gd=branches.gd, js=branches.js)


def token_of(world, role: str) -> str:
    _, raw = ApiToken.issue(user=getattr(world.company.users, role), name="schemathesis")
    return raw


def failures_of(world, role: str, method: str) -> list[str]:
    token = token_of(world, role)
    schema = load_schema(token)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != method:
            continue
        failure = run_operation(operation, auth(token), strategies_for(operation, world))
        if failure:
            failures.append(failure)
    return failures


@pytest.mark.parametrize("role", GET_ROLES)
def test_get_operations_conform(world, role):
    failures = failures_of(world, role, "GET")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("role", POST_ROLES)
def test_post_operations_conform(world, role):
    failures = failures_of(world, role, "POST")
    assert not failures, "\n\n".join(failures)


# -- the harness can fail ------------------------------------------------------------------

def units_list(world, token):
    operation = load_schema(token)["/api/v1/units/"]["GET"]
    return run_operation(operation, auth(token), strategies_for(operation, world))


def test_a_body_outside_the_schema_fails(world, monkeypatch):
    from pinzhi.api.serializers import UnitSerializer

    token = token_of(world, "officer")
    assert units_list(world, token) is None
    monkeypatch.setattr(UnitSerializer, "to_representation", lambda self, unit: {"code": 1})
    assert "Response violates schema" in units_list(world, token)


def test_a_server_error_fails(world, monkeypatch):
    from pinzhi.api.views import UnitViewSet

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(UnitViewSet, "list", broken)
    assert "Server error" in units_list(world, token_of(world, "officer"))


@pytest.mark.parametrize(("status", "body", "fails"), [
    (404, {"detail": "Not found."}, False),
    (400, {"page_size": ["a number"]}, False),
    (404, "<html>not found</html>", True),  # not DRF's error shape
    (409, {"detail": "refused"}, True),  # not generic, not documented for the list
    (418, {"detail": "teapot"}, True),
])
def test_an_undocumented_status_fails(world, monkeypatch, status, body, fails):
    from rest_framework.response import Response

    from pinzhi.api.views import UnitViewSet

    monkeypatch.setattr(UnitViewSet, "list",
                        lambda self, request, *a, **kw: Response(body, status=status))
    failure = units_list(world, token_of(world, "officer"))
    assert (failure is not None) == fails, failure
