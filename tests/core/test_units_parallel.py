"""`pinzhi evaluate --unit CODE` (issue 9, point 7): a branch's run touches its subtree only,
the branches' runs together equal one run over the company on the same facts, full or
incremental, and runs whose scopes overlap never run at once.

The company is tests/branches.py's: the demo's facts in two branches, GD and JS. Each
comparison runs the branches inside a savepoint, takes every derived row, rolls back to
the same facts, runs the company, and compares.
"""

import io
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from pinzhi.callbacks import candidates
from pinzhi.callbacks.models import CallbackStatus, EvaluationRun, ManualCallback
from pinzhi.core.evaluating import evaluate_claimed
from pinzhi.core.voiding import void_fact
from pinzhi.notify.models import Message
from pinzhi.org.models import Unit
from pinzhi.policies.models import Policy
from pinzhi.reports.models import FigureSnapshot
from pinzhi.settlement.locking import ScopeBusy
from pinzhi.settlement.models import RunClaim
from tests.branches import (
    BRANCHES,
    PINZHI,
    ROOT,
    Holder,
    derived,
    load,
    pinzhi,
    pinzhi_env,
)
from tests.browser import LIVE_DB


@pytest.fixture
def evaluate(django_capture_on_commit_callbacks):
    """`pinzhi evaluate` of each unit given (none: the company); agents are told as
    after a real commit."""
    def run(*codes: str) -> str:
        out = io.StringIO()
        for args in ([["--unit", code] for code in codes] or [[]]):
            with django_capture_on_commit_callbacks(execute=True):
                call_command("evaluate", *args, "--no-figures", stdout=out)
        return out.getvalue()

    return run


def evaluate_branches(evaluate) -> None:
    """GD's run, then JS's, each leaving the other branch's rows as they were."""
    for code in BRANCHES:
        other, = Unit.objects.filter(code__in=BRANCHES).exclude(code=code).values_list(
            "path", flat=True)
        before = derived(other)
        evaluate(code)
        assert derived(other) == before, f"{code}'s run touched another branch"


def by_branches_and_by_company(evaluate) -> tuple[dict, dict]:
    """Every derived row after evaluating GD then JS, and after evaluating the company
    instead, on the same facts; the company's result is kept."""
    point = transaction.savepoint()
    evaluate_branches(evaluate)
    branch_runs = derived()
    transaction.savepoint_rollback(point)
    evaluate()
    return branch_runs, derived()


def last_scopes(n: int) -> list[str]:
    return list(EvaluationRun.objects.filter(finished_at__isnull=False)
                .order_by("-pk").values_list("scope", flat=True)[:n])


def void_one_policy_of_each_branch() -> None:
    """A fact changed in each branch since the last run: its derived rows follow."""
    for code in BRANCHES:
        policy = (Policy.objects.filter(agent__team__path__startswith=f"/HQ/{code}/",
                                        voided_at__isnull=True, product__long_term=True)
                  .order_by("policy_no").first())
        void_fact(kind="policy", key=policy.policy_no, reason="recorded in error")


def test_a_branch_run_touches_its_subtree_only(branches, evaluate, travel):
    travel("2026-10-25T09:00")
    before = {code: derived(branches[code].path) for code in BRANCHES}
    evaluate("GD")
    assert derived(branches["JS"].path) == before["JS"]
    moved = derived(branches["GD"].path)
    changed = {table for table in moved if moved[table] != before["GD"][table]}
    assert changed == set(moved)  # GD's rows of every kind moved


def leave_half_done(branch_path: str) -> Policy:
    """As after a run of the branch, now, that died once its states were written: its
    tasks and its messages not made yet, its tasks of ended callbacks not closed, and a
    policy (one called back) voided since with its state still there (returned)."""
    in_branch = {"policy__agent__team__path__startswith": branch_path}
    ManualCallback.objects.filter(**in_branch, closed_at__isnull=True).delete()
    ManualCallback.objects.filter(**in_branch).update(closed_at=None)
    Message.objects.filter(agent__team__path__startswith=branch_path,
                           created_at=timezone.now()).delete()  # made by that run
    voided = (CallbackStatus.objects.filter(**in_branch, status="succeeded")
              .order_by("policy_id").first().policy)
    Policy.objects.filter(pk=voided.pk).update(voided_at=voided.created_at,
                                               void_reason="recorded in error")
    return voided


def test_what_a_branch_run_left_undone_waits_for_that_branchs_run(branches, evaluate,
                                                                  travel):
    travel("2026-10-25T09:00")
    evaluate()
    js = branches["JS"].path
    done = derived(js)
    voided = leave_half_done(js)
    left = derived(js)
    assert all(left[t] != done[t] for t in ("manual callbacks", "messages"))
    evaluate("GD")  # the same moment: what the states call for is made or closed
    assert derived(js) == left
    evaluate("JS")
    completed = derived(js)
    assert all(completed[t] == done[t] for t in ("manual callbacks", "messages"))
    assert not CallbackStatus.objects.filter(policy=voided).exists()


def test_an_incremental_branch_run_recomputes_the_company_runs_candidates_of_its_branch(
        branches, evaluate, travel):
    travel("2026-10-25T09:00")
    evaluate()
    travel("2026-11-04T09:00")
    void_one_policy_of_each_branch()
    gd, now = branches["GD"].path, timezone.now()
    last = candidates.since_last_run(now, gd)
    assert last.scope == "all"

    def candidate_ids(unit_path: str) -> set[int]:
        candidates.create_table(last=last, as_of=now, id_range=None, unit_path=unit_path)
        with connection.cursor() as cur:
            cur.execute(f"SELECT id FROM {candidates.TABLE}")
            return {row[0] for row in cur.fetchall()}

    of_gd = set(Policy.objects.filter(agent__team__path__startswith=gd)
                .values_list("id", flat=True))
    company = candidate_ids("")
    assert company - of_gd  # JS has candidates too
    assert candidate_ids(gd) == company & of_gd


def test_the_branches_runs_together_equal_one_run_over_the_company(branches, evaluate,
                                                                   travel):
    travel("2026-10-25T09:00")
    by_branches, by_company = by_branches_and_by_company(evaluate)
    assert by_branches == by_company
    assert last_scopes(1) == ["all"]
    for code in BRANCHES:  # each branch has rows of every kind: the comparison compares
        rows = derived(branches[code].path)
        assert all(rows.values()), {table: len(r) for table, r in rows.items()}

    # Incremental runs building on the company's run, after facts changed.
    travel("2026-11-04T09:00")
    void_one_policy_of_each_branch()
    point = transaction.savepoint()
    evaluate_branches(evaluate)
    assert last_scopes(2) == ["incremental@JS", "incremental@GD"]
    by_branches = derived()
    transaction.savepoint_rollback(point)
    evaluate()
    assert last_scopes(1) == ["incremental"]
    assert derived() == by_branches

    # Branches' runs building on their own last runs.
    travel("2026-11-10T09:00")
    evaluate_branches(evaluate)
    travel("2026-11-16T09:00")
    void_one_policy_of_each_branch()
    by_branches, by_company = by_branches_and_by_company(evaluate)
    assert by_branches == by_company


def test_a_full_branch_run_and_an_incremental_one_agree(branches, evaluate, travel):
    travel("2026-10-25T09:00")
    evaluate("GD")
    travel("2026-11-04T09:00")
    point = transaction.savepoint()
    evaluate("GD")
    assert last_scopes(1) == ["incremental@GD"]
    incremental = derived()
    transaction.savepoint_rollback(point)
    call_command("evaluate", "--unit", "GD", "--full", "--no-figures", stdout=io.StringIO())
    assert last_scopes(1) == ["all@GD"]
    assert derived()["callback states"] == incremental["callback states"]


def test_an_unknown_unit_is_refused(db):
    with pytest.raises(CommandError, match="no unit 'XX'") as refused:
        call_command("evaluate", "--unit", "XX")
    assert refused.value.returncode == 1


def test_a_branch_run_leaves_the_company_figures_unless_told(branches, evaluate, travel):
    travel("2026-10-25T09:00")
    call_command("evaluate", "--unit", "GD", stdout=io.StringIO())
    assert not FigureSnapshot.objects.exists()
    call_command("evaluate", "--unit", "GD", "--figures", stdout=io.StringIO())
    assert FigureSnapshot.objects.count() == 1


# -- claims -------------------------------------------------------------------------


def hold(scope_path: str, what: str = "evaluate") -> RunClaim:
    """A claim held by a live process (this one's pid stands for another run's)."""
    return RunClaim.objects.create(scope_path=scope_path, what=what,
                                   host=socket.gethostname(), pid=os.getpid(), by="")


@pytest.mark.parametrize("held, asked, refused", [
    ("GD", "GD", True),  # the same branch
    ("GD", "GZ", True),  # a unit of the branch held
    ("GZ", "GD", True),  # the branch while a unit of it runs
    ("GD", None, True),  # the company while a branch runs
    (None, "JS", True),  # a branch while the company runs
    ("GD", "JS", False),  # disjoint branches
    ("GZ", "SZ", False),  # disjoint units of two branches
])
def test_runs_of_overlapping_scopes_never_run_at_once(branches, travel, held, asked,
                                                      refused):
    travel("2026-10-25T09:00")
    paths = dict(Unit.objects.values_list("code", "path"))
    holder = hold(paths[held] if held else "")
    unit = Unit.objects.get(code=asked) if asked else None
    if refused:
        with pytest.raises(ScopeBusy, match="being evaluated already") as busy:
            evaluate_claimed(holder.started_at, unit=unit)
        assert (paths[held] if held else "*") in str(busy.value)  # who holds it
        assert f"pid {os.getpid()}" in str(busy.value)
    else:
        assert evaluate_claimed(holder.started_at, unit=unit)
    assert list(RunClaim.objects.all()) == [holder]  # its own claim is gone


def test_a_claim_left_by_a_dead_process_is_taken_over(branches, travel):
    travel("2026-10-25T09:00")
    RunClaim.objects.create(scope_path="/HQ/GD/", what="evaluate", pid=2 ** 22 + 12345,
                            host=socket.gethostname(), by="")
    assert evaluate_claimed(Policy.objects.first().created_at, unit=branches["GD"])
    assert not RunClaim.objects.exists()


def test_another_machines_claim_is_trusted(branches, travel):
    travel("2026-10-25T09:00")
    RunClaim.objects.create(scope_path="", what="evaluate", pid=1, host="elsewhere", by="")
    with pytest.raises(ScopeBusy, match=r"\* is being evaluated already .* on elsewhere"):
        evaluate_claimed(Policy.objects.first().created_at, unit=branches["GD"])


# -- in processes, on PostgreSQL -------------------------------------------------------


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("runs in processes against one PostgreSQL database (SQLite has one "
                    "writer at a time anyway)")


@LIVE_DB
def test_evaluations_in_processes_never_work_on_overlapping_scopes_at_once(branch_files):
    postgresql_only()
    load(branch_files)
    for held, asked in [  # code (None: the company) -> refused
        ("/HQ/GD/", {"GD": True, "GZ": True, None: True, "JS": False}),
        ("", {"JS": True}),  # the company's run
        ("/HQ/GD/GZ/", {"GD": True}),  # a unit of GD
    ]:
        holder = Holder(held)
        try:
            for code, refused in asked.items():
                done = pinzhi("evaluate", *(["--unit", code] if code else []), "--no-figures")
                assert done.returncode == (1 if refused else 0), (held, code, done.stderr)
                if refused:
                    assert (f"{held or '*'} is being evaluated already (by system on "
                            f"{socket.gethostname()}, pid {holder.pid}") in done.stderr
        finally:
            holder.release()
    assert not RunClaim.objects.exists()


@LIVE_DB
def test_a_run_waits_when_told_and_takes_over_a_dead_runs_claim(branch_files):
    postgresql_only()
    load(branch_files)
    holder = Holder("/HQ/GD/GZ/")
    waiting = subprocess.Popen([PINZHI, "evaluate", "--unit", "GD", "--wait", "120",
                                "--no-figures"], env=pinzhi_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    assert waiting.poll() is None  # waiting, not refused
    released = timezone.now()
    holder.release()
    assert waiting.wait(300) == 0, waiting.communicate()[1]
    run = EvaluationRun.objects.get(scope="all@GD")
    assert run.started_at >= released  # it did not start before the claim was free

    crashed = Holder("/HQ/GD/")
    crashed.kill()
    assert RunClaim.objects.get().pid == crashed.pid  # left behind by the crash
    done = pinzhi("evaluate", "--unit", "GD", "--no-figures")
    assert done.returncode == 0, done.stderr
    assert not RunClaim.objects.exists()


@LIVE_DB
def test_of_claims_racing_for_one_branch_one_wins_and_another_branch_goes_on(branch_files):
    postgresql_only()
    load(branch_files)
    at = time.time() + 5  # every process ready by then; the winner holds long after
    racers = [subprocess.Popen([sys.executable, "-m", "tests.claim_holder", path, "evaluate",
                                "--at", str(at), "--hold", "8"], cwd=ROOT, env=pinzhi_env(),
                               stdout=subprocess.PIPE, text=True)
              for path in ["/HQ/GD/"] * 4 + ["/HQ/GD/GZ/", "/HQ/JS/"]]
    said = [racer.communicate(timeout=120)[0].strip() for racer in racers]
    assert said[-1] == "held"  # JS
    assert [s == "held" for s in said[:-1]].count(True) == 1, said  # GD's and GZ's
    assert all(s.startswith("busy: ") for s in said[:-1] if s != "held"), said
