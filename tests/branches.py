"""A company of two branches, for the tests of branches run side by side (issue 9, point 7).

The demo generator's tiny company, which has facts in every area (callback attempts and
contact updates, receipts, valuable documents, notices, confirmed cases), with its
Shenzhen sub-branch moved under a second branch, JS, before the files are loaded:

HQ
├── GD 广东分公司 > GZ > GZ01 > GZ0101 … GZ0104   (50 agents)
└── JS 江苏分公司 > SZ > SZ01 > SZ0101 … SZ0104   (46 agents)

Also what the tests compare: `derived()`, every row an evaluation derives, by natural
keys (never by ids, which differ between two runs of the same facts), and running a
`pinzhi` command in another process against the test's database (`pinzhi_env`).
"""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pinzhi.callbacks.models import CallbackAttempt, CallbackStatus, ManualCallback
from pinzhi.callbacks.writing import STATUS_FIELDS
from pinzhi.core.evaluating import in_subtree
from pinzhi.core.importing import run_import
from pinzhi.demo.generator import FILES, generate
from pinzhi.notify.models import Message
from pinzhi.quality.models import Case
from pinzhi.training.models import RemedialAssignment

UNTIL = dt.date(2026, 10, 9)  # the demo's last day of policies
LOADED = "2026-10-10T09:00"  # when the tests load the files (travel)
BRANCHES = ("GD", "JS")
ROOT = Path(__file__).resolve().parent.parent
PINZHI = str(Path(sys.executable).with_name("pinzhi"))


@pytest.fixture(scope="module")
def branch_files(tmp_path_factory):
    """The two branches' feed files, written once per module."""
    return write_files(tmp_path_factory.mktemp("branches"))


@pytest.fixture
def branches(db, branch_files, travel):
    """The two branches loaded, with facts for the schedule in each: {code: unit}."""
    from pinzhi.org.models import Unit

    travel(LOADED)
    load(branch_files)
    units = {code: Unit.objects.get(code=code) for code in BRANCHES}
    travel("2026-10-24T09:00")
    for unit in units.values():
        facts_for_the_schedule(unit.path)
    return units


def write_files(out: Path) -> Path:
    """The demo's files, with a second branch."""
    generate(out, size="small", seed=5, until=UNTIL, agents=96, policies=700, cases=120)
    units = out / "units.csv"
    text = units.read_text(encoding="utf-8")
    moved = text.replace("\nSZ,深圳支公司,GD,", "\nSZ,深圳支公司,JS,")
    moved = moved.replace("\nGD,", "\nJS,江苏分公司,HQ,branch,025-84561234\nGD,", 1)
    assert moved.count("JS") == 2, "the demo's units changed: move another sub-branch"
    units.write_text(moved, encoding="utf-8")
    return out


def load(folder: Path) -> None:
    """Every file through the import engine, as `pinzhi demo` loads them."""
    for kind in FILES:
        result = run_import(kind, folder / f"{kind}.csv")
        assert result.ok, [str(e) for e in result.errors]


def _at(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment + "+08:00")


def facts_for_the_schedule(branch_path: str) -> None:
    """Facts only a scheduled run turns into states, tasks, messages and cases: written
    as rows, without the evaluation that recording them through a service or a file
    runs at once. In the branch, of the long-term policies in force that nobody has
    called yet: the first printed fails round 1 on 10-11 and round 2 on 10-22 (a manual
    callback on 10-25), and a notice of it due on 10-20 is never delivered; each of the
    others gets a call at 22:00 on 10-20 (outside the hours: flagged) and fails round 1
    on 10-21 (the agent told)."""
    from pinzhi.callbacks.models import CallbackAttempt
    from pinzhi.notices.models import Notice
    from pinzhi.policies.models import Policy

    never_called = list(Policy.objects.filter(
        agent__team__path__startswith=branch_path, voided_at__isnull=True,
        product__long_term=True, status="in_force")
        .exclude(pk__in=CallbackAttempt.objects.values("policy_id"))
        .order_by("printed_on", "policy_no"))
    assert len(never_called) >= 2, "the demo changed: pick other policies"
    first, *others = never_called
    assert first.printed_on <= dt.date(2026, 10, 1), "round 1 must be open on 10-11"

    def call(policy, round_, moment, outcome):
        CallbackAttempt.objects.create(policy=policy, round=round_, attempted_at=_at(moment),
                                       outcome=outcome)

    call(first, "1", "2026-10-11T10:00", "empty_number")
    call(first, "2", "2026-10-22T10:00", "empty_number")
    for policy in others:
        call(policy, "1", "2026-10-20T22:00", "no_answer")
        call(policy, "1", "2026-10-21T10:00", "empty_number")
    Notice.objects.create(notice_no=f"N-{first.policy_no}", policy=first, agent=first.agent,
                          issued_on=dt.date(2026, 10, 10), due_on=dt.date(2026, 10, 20))


def _rule_key(key: str | None) -> str | None:
    """A case voided by its rule has `#void<pk>` added to its key: the pk differs."""
    return key.split("#void")[0] if key else key


def derived(within: str = "") -> dict[str, list[tuple]]:
    """Every row the evaluation derives (of `within`'s subtree, '' all), sorted."""
    def rows(queryset, path: str, *fields) -> list[tuple]:
        return sorted(map(tuple, in_subtree(queryset, path, within).values_list(*fields)),
                      key=repr)

    cases = [(_rule_key(key), *rest) for key, *rest in rows(
        Case.objects.filter(rule_key__isnull=False), "agent__team__path", "rule_key",
        "agent__code", "type__code", "occurred_on", "status", "voided_at", "void_reason",
        "policy__policy_no", "evidence")]
    return {
        "callback states": rows(CallbackStatus.objects, "policy__agent__team__path",
                                "policy__policy_no", *STATUS_FIELDS, "digest"),
        "attempt flags": rows(CallbackAttempt.objects, "policy__agent__team__path",
                              "policy__policy_no", "attempted_at", "round", "flag"),
        "manual callbacks": rows(ManualCallback.objects, "policy__agent__team__path",
                                 "policy__policy_no", "opened_at", "closed_at", "due_on"),
        "rule cases": sorted(cases, key=repr),
        "messages": rows(Message.objects, "agent__team__path", "key", "agent__code", "kind",
                         "subject", "body", "told_at"),
        "remedial trainings": rows(RemedialAssignment.objects, "agent__team__path",
                                   "agent__code", "half_year", "standing", "assigned_on",
                                   "due_on"),
    }


def pinzhi_env() -> dict[str, str]:
    """The environment of a `pinzhi` process working on this test's PostgreSQL database."""
    assert connection.vendor == "postgresql", "SQLite's test database is in memory"
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    url = (f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:"
           f"{s['PORT'] or 5432}/{s['NAME']}")
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "pinzhi.settings"}


def pinzhi(*args: str) -> subprocess.CompletedProcess:
    """`pinzhi ARGS` in a process of its own, on this test's database."""
    return subprocess.run([PINZHI, *args], env=pinzhi_env(), capture_output=True, text=True,
                          timeout=300)


class Holder:
    """A run of another process holding a claim (tests/claim_holder.py) until released
    or killed."""

    def __init__(self, scope_path: str, what: str = "evaluate", month: str | None = None):
        args = [sys.executable, "-m", "tests.claim_holder", scope_path, what]
        self.process = subprocess.Popen([*args, *(["--month", month] if month else [])],
                                        cwd=ROOT, env=pinzhi_env(), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline() == "held\n"
        self.pid = self.process.pid

    def release(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(60) == 0

    def kill(self) -> None:
        """As a crash: the claim stays behind. Reaped, so that its pid is gone."""
        self.process.kill()
        self.process.wait(60)
