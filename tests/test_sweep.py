"""Issue 9: no role sees a full ID number or mobile number without revealing it.

Each role's user walks the site from the home page (every same-site link, breadth-first),
asks every API list, detail and GET action, and the exports and the logs are read too.
None of the full numbers stored in the database (tests/sweep.py finds them, the needles)
may appear in any of it. Revealing one is an explicit, logged act (pinzhi/core/reveal.py)
that only the roles of Role.UNMASK may do: the others are refused, and nothing is logged.

The one place a full number is shown on purpose is the callback call screen (rules §9:
the operator "sees the full phone number of the policy being called"): it reveals through
the same logged path and is tested as such, not walked. See docs/access.md.
"""

import datetime as dt
import json
import logging

import pytest
from django.core.management import call_command

from pinzhi.accounts.models import Role, User
from pinzhi.callbacks.services import contact_update_record
from pinzhi.core.exporting import EXPORTS
from pinzhi.core.models import Event
from pinzhi.core.reveal import REVEALABLE
from pinzhi.recruitment.models import Candidate
from tests.callbacks_agent.conftest import at, call, committed, t
from tests.factories import PASSWORD, make_policy
from tests.other_branch import build_other_branch
from tests.sweep import (
    API,
    api_urls,
    body_text,
    crawl,
    leaks,
    numbers_at_rest,
    stored_numbers,
    valid_id,
    xlsx_text,
)

pytestmark = pytest.mark.django_db

NOW = "2026-04-15T10:00"
ROLES = ["admin", "root", "hq", "officer", "sales", "clerk", "operator", "manager", "agent",
         "system"]
NOT_UNMASK = [r for r in ROLES if r not in ("admin", "root", "hq", "officer", "operator")]
PAGE_LIMIT = 400
# The numbers this file adds (checksum-valid ID numbers built from 17 digits).
E3_APPLICANT_ID = valid_id("44010419800202002")
E3_INSURED_ID = valid_id("44010420100303003")
E3_PHONE, E3_NEW_PHONE = "13622223333", "13544445555"
CANDIDATE_ID, CANDIDATE_PHONE = valid_id("44010619980808004"), "13766667777"

# Every export with the arguments it needs (a new export kind must be added here).
EXPORT_ARGS = {
    "scores": [["2026H1", "--as-of", "2026-04-15"]],
    "training": [["--from", "2026-01-01", "--to", "2026-12-31"]],
    "remedial": [[]],
    "settlement": [["2026-03"], ["2026-03", "--detail"]],
    "departures": [[]],
    "rank_decisions": [["2026H1"]],
    "commendations": [[]],
    "inspection_findings": [[]],
    "complaints": [[]],
    "recruitment": [[]],
    "kpis": [["--from", "2026-01-01", "--to", "2026-04-15", "--level", level]
             for level in ("branch", "team", "agent")],
    "promotion": [["2026H1"]],
    "regulator": [["2026Q1"], ["2026Q2"]],
    "grievances": [[]],
}
# The API paths areas add after the router's, all asked by tests.sweep.api_urls.
API_EXTRA_PATHS = {"policies/<str:policy_no>/callback/",
                   "policies/<str:policy_no>/callback/attempts/",
                   "statements/<str:agent_code>/forecast/", "indicators/", "promotion/",
                   r"^statements/(?P<agent_code>[^/]+)/(?P<month>\d{4}-\d{2})/$"}


def _skip(role):
    def skip(path: str) -> bool:
        if path.startswith(("/logout/", "/static/", "/media/", "/i18n/", "/api/schema/",
                            "/api/docs/", "/callbacks/call/")) or "/reveal/" in path:
            return True  # sign-out; files; the reveal URLs and the call screen reveal
        if role == "root":  # the superuser walks the Django admin; the rest is admin's walk
            return not path.startswith("/admin/")
        return path.startswith("/admin/") and role != "admin"
    return skip


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"
    return settings.PINZHI_MESSAGE_LOG


@pytest.fixture
def world(company, travel):
    """The small company, the second branch with one object of every kind (tests/
    other_branch.py), and numbers in the places they come from: a policy whose round 1
    failed (the agent told through the gateway) and whose agent gave a new phone, a
    candidate, a superuser."""
    branches = build_other_branch(company)
    users = company.users
    e3 = make_policy("E3", company.agents["A001"], company.products["TRAD10"],
                     applicant_name="黄敏", applicant_id_number=E3_APPLICANT_ID,
                     applicant_phone=E3_PHONE, insured_name="黄小敏",
                     insured_id_number=E3_INSURED_ID, signed_on=dt.date(2026, 2, 1),
                     printed_on=dt.date(2026, 2, 1), effective_on=dt.date(2026, 2, 2))
    call(e3, users.operator, t(2, 13, 10), "empty_number")
    with at(t(2, 14, 9)), committed():
        contact_update_record(policy=e3, phone=E3_NEW_PHONE, by=users.agent)
    Candidate.objects.create(
        candidate_no="GD-CAND-2", name="孙悦", id_number=CANDIDATE_ID, phone=CANDIDATE_PHONE,
        team=company.units["T1"], rank="业务员", applied_on=dt.date(2026, 4, 1))
    root = User(username="root", role=Role.ADMIN, unit=company.units["HQ"], is_staff=True,
                is_superuser=True)
    root.set_password(PASSWORD)
    root.save()
    users.root = root
    travel(NOW)
    return branches


@pytest.fixture
def needles(world):
    return stored_numbers()


def test_the_needles_are_every_number_stored(company, world, needles):
    """The sweep looks for the right things: the agents', applicants', insureds',
    candidates' numbers and the agent's update, and a leak of one is caught."""
    expected = {E3_APPLICANT_ID, E3_INSURED_ID, E3_PHONE, E3_NEW_PHONE, CANDIDATE_ID,
                CANDIDATE_PHONE, "13912345678", "440104197001010011", "13900000101",
                *(a.id_number for a in company.agents.values()),
                *(a.phone for a in company.agents.values())}
    assert expected <= needles
    assert not {"440106********1234", "138****5678", "020-83980000"} & needles
    assert leaks(f"<td>{E3_NEW_PHONE}</td>", needles) == {E3_NEW_PHONE}
    assert leaks("<td>135****5555</td>", needles) == set()


def test_no_table_holds_a_full_number_in_the_clear(world, needles):
    """Numbers at rest: a copy of the database, read without the key, holds none of the
    numbers the application reads (core/sealing.py); the branches' landlines are not
    personal and are kept as they are."""
    assert needles  # the ORM opens them: the sealed values are there
    at_rest = numbers_at_rest()
    assert {table: names & needles for table, names in at_rest.items()
            if names & needles} == {}


def test_the_scan_at_rest_finds_a_number_written_in_the_clear(world, needles):
    """The scan above can fail: a number written past the sealing is found."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE org_agent SET phone = %s WHERE code = 'A001'", ["13912345678"])
    assert "13912345678" in numbers_at_rest()["org_agent"]


def _user(company, role):
    return getattr(company.users, role)


def _assert_clean(visits, needles, who):
    found = {v.url: sorted(leaks(v.text, needles)) for v in visits if v.text}
    assert {url: numbers for url, numbers in found.items() if numbers} == {}, who


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_full_number(client, company, needles, caplog, role):
    caplog.set_level(logging.DEBUG)
    user = _user(company, role)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    start = ("/admin/",) if role == "root" else ("/",)
    visits = crawl(client, start=start, limit=PAGE_LIMIT, skip=_skip(role))
    assert visits[0].status == 200 and len(visits) > 3, [(v.url, v.status) for v in visits]
    _assert_clean(visits, needles, role)
    assert not leaks(caplog.text, needles)
    # Nothing was revealed on the way: the walk asked for no full value.
    assert not Event.objects.filter(action="unmask", actor=user).exists()


@pytest.mark.parametrize("role", ROLES)
def test_no_api_answer_holds_a_full_number(client, company, needles, caplog, role):
    caplog.set_level(logging.DEBUG)
    user = _user(company, role)
    client.force_login(user)
    visits = []
    for url in api_urls():
        response = client.get(url)
        visits.append(type("Visit", (), {"url": url, "status": response.status_code,
                                         "text": body_text(response)}))
    assert any(v.status == 200 and '"results"' in (v.text or "") for v in visits)
    _assert_clean(visits, needles, role)
    assert not leaks(caplog.text, needles)
    assert not Event.objects.filter(action="unmask", actor=user).exists()


def test_the_walk_finds_a_full_number_where_one_is_shown(client, company, needles):
    """The walk can fail: let into the reveal buttons and the call screens (skipped
    above), the operator's walk from the home page finds the numbers they show."""
    client.force_login(company.users.operator)
    visits = crawl(client, limit=PAGE_LIMIT,
                   skip=lambda path: path.startswith(("/logout/", "/static/", "/i18n/")))
    shown = {v.url: leaks(v.text, needles) for v in visits if v.text and leaks(v.text, needles)}
    assert all("/reveal/" in url or url.startswith("/callbacks/call/") for url in shown)
    assert E3_PHONE in shown["/callbacks/call/E3/"]
    assert shown["/agents/A001/reveal/id_number/"] == {"110101199003071233"}


def test_the_api_paths_asked_are_all_there_are():
    """A path an area adds besides the router's must be asked by tests.sweep.api_urls."""
    from pinzhi.api.urls import router, urlpatterns

    router_names = {url.name for url in router.get_urls()}  # router.urls has the rest too
    extra = {str(u.pattern) for u in urlpatterns if u.name not in router_names}
    assert extra == API_EXTRA_PATHS


def test_the_pages_that_reveal_are_the_skipped_ones():
    """The walk skips the reveal URLs and the call screen because their views call
    `reveal`: the only pages that do (a new caller must be walked or skipped knowingly)."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "pinzhi"
    callers = {str(p.relative_to(root)) for p in root.rglob("*.py")
               if re.search(r"(?<![\w.])reveal\(", p.read_text("utf-8"))}
    assert callers == {"core/reveal.py", "api/views.py", "web/views.py",
                       "callbacks/views/calls.py"}


def test_exports_hold_no_full_number(company, world, needles, tmp_path):
    """Every `pinzhi export KIND` (run as the system, the command line's user), CSV and
    XLSX: masked or absent numbers only."""
    assert set(EXPORT_ARGS) == set(EXPORTS)
    written = 0
    for kind, variants in EXPORT_ARGS.items():
        for n, args in enumerate(variants):
            for suffix in ("csv", "xlsx"):
                out = tmp_path / f"{kind}-{n}.{suffix}"
                try:
                    call_command("export", kind, *args, "--out", str(out))
                except Exception as exc:  # a refusal (e.g. a month not settled) writes nothing
                    assert not out.exists() or out.stat().st_size == 0, (kind, args, exc)
                    continue
                content = out.read_bytes()
                text = (xlsx_text(content) if suffix == "xlsx"
                        else content.decode("utf-8-sig"))
                assert not leaks(text, needles), (kind, args, suffix)
                written += 1
    assert written >= 2 * len(EXPORTS)
    # the recruitment export carries the candidate's numbers, masked
    out = tmp_path / "recruitment-masked.csv"
    call_command("export", "recruitment", "--out", str(out))
    assert CANDIDATE_ID[:6] + "********" + CANDIDATE_ID[-4:] in out.read_text("utf-8-sig")


def test_the_message_gateway_writes_no_customer_number(company, world, needles, message_log):
    """The gateway's outbox (var/messages.log) addresses the agent by his mobile: that is
    the address an SMS provider needs, in the `to_phone` field only. Subject and body
    carry no full number (the agent reads them on his phone, in public places)."""
    lines = [json.loads(line) for line in message_log.read_text("utf-8").splitlines()]
    assert lines, "round 1 of E3 failed: the agent was told through the gateway"
    for line in lines:
        agent = company.agents.get(line["to_agent"]) or world.agents.get(line["to_agent"])
        assert line["to_phone"] in ("", agent.phone)
        rest = {k: v for k, v in line.items() if k != "to_phone"}
        assert not leaks(json.dumps(rest, ensure_ascii=False), needles), line


@pytest.mark.parametrize("role", NOT_UNMASK)
def test_a_role_outside_unmask_cannot_reveal(client, company, world, needles, role):
    user = _user(company, role)
    client.force_login(user)
    objects = {"policy": "E3", "agent": "A001"}
    for kind, fields in REVEALABLE.items():
        plural = "policies" if kind == "policy" else "agents"
        for field in fields:
            for url in (f"/{plural}/{objects[kind]}/reveal/{field}/",
                        f"{API}{plural}/{objects[kind]}/unmask/?field={field}"):
                response = client.get(url)
                assert response.status_code == 404, (url, response.status_code)
                assert not leaks(response.content.decode(), needles), url
    response = client.get("/callbacks/call/E3/")
    assert response.status_code in (403, 404)
    assert not leaks(response.content.decode(), needles)
    assert not Event.objects.filter(action="unmask", actor=user).exists()


@pytest.mark.parametrize("role", ["admin", "hq", "officer", "operator"])
def test_a_role_in_unmask_reveals_and_the_view_is_logged(client, company, world, role):
    """The other side: the reveal works for Role.UNMASK (so the refusals above are not
    a broken URL), and each view is an Event."""
    user = _user(company, role)
    assert user.role in Role.UNMASK
    client.force_login(user)
    response = client.get("/policies/E3/reveal/applicant_id_number/")
    assert response.status_code == 200 and E3_APPLICANT_ID in response.content.decode()
    response = client.get(f"{API}agents/A001/unmask/?field=phone")
    assert response.status_code == 200 and response.json()["value"] == "13800000001"
    logged = Event.objects.filter(action="unmask", actor=user).values_list("key", "data")
    assert sorted((k, d["field"], d["via"]) for k, d in logged) == [
        ("A001", "phone", "api"), ("E3", "applicant_id_number", "web")]


def test_the_call_screen_shows_the_full_phone_and_logs_it(client, company, world):
    """Rules §9's exception: the operator sees the number he dials; the view is logged."""
    operator = company.users.operator
    client.force_login(operator)
    html = client.get("/callbacks/call/E3/?inbound=1").content.decode()
    assert E3_NEW_PHONE in html
    assert Event.objects.filter(action="unmask", actor=operator, key="E3").exists()


@pytest.mark.bench
def test_the_django_admin_walked_to_its_end(client, company, needles):
    """`root`'s walk of the Django admin stops at PAGE_LIMIT in `make test`; here to its
    end (`make bench`): every list and change form, not the lists' endless filter and
    sort combinations (query strings), which show the same rows."""
    client.force_login(company.users.root)
    visits = crawl(client, start=("/admin/",), limit=5_000,
                   skip=lambda path: _skip("root")(path) or "?" in path)
    assert PAGE_LIMIT < len(visits) < 5_000
    _assert_clean(visits, needles, "root")
