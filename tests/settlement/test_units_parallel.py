"""Branches settled side by side (issue 9, point 7; rules §6: "runs may be split by unit; a
month closes per unit, and two runs of the same month and unit never run at once").

The two branches' drafts of a month have the lines of the company's draft; each branch
closes its month on its own; and, on PostgreSQL with real processes, two branches of the
same month compute at once while a run of an overlapping scope is refused.
"""

import datetime as dt
import io
import socket
import subprocess
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from pinzhi.accounts.models import Role, User
from pinzhi.callbacks.models import EvaluationRun
from pinzhi.org.models import Unit
from pinzhi.settlement.models import DraftLine, Settlement
from pinzhi.settlement.services import (
    SettlementRefused,
    settlement_close,
    settlement_compute,
)
from tests.branches import (
    BRANCHES,
    PINZHI,
    Holder,
    load,
    pinzhi,
    pinzhi_env,
)
from tests.browser import LIVE_DB

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def lines() -> list[tuple]:
    """Every draft line, by natural keys (the settlements' and lines' ids differ)."""
    return sorted(DraftLine.objects.values_list(
        "policy__policy_no", "agent__code", "month", "action", "amount_fen", "reasons",
        "rule_version", "enters"), key=repr)


def settle(*args) -> str:
    out = io.StringIO()
    call_command("settle", *args, stdout=out)
    return out.getvalue()


def test_the_branches_drafts_have_the_lines_of_the_companys_draft(branches, travel):
    travel("2026-10-21T09:00")  # after October's cutoff
    point = transaction.savepoint()
    for code in BRANCHES:
        settle("2026-10", "--unit", code)
    by_branches = lines()
    drafts = Settlement.objects.filter(month=OCT)
    assert sorted(s.scope_name for s in drafts) == ["GD", "JS"]
    policies = sum(s.policies for s in drafts)
    transaction.savepoint_rollback(point)
    settle("2026-10")
    company = Settlement.objects.get(month=OCT)
    assert company.scope_name == "*" and company.policies == policies
    assert lines() == by_branches
    actions = {line[3] for line in by_branches}
    assert {"pay", "withhold", "cancel"} <= actions, actions  # the comparison compares
    for code in BRANCHES:  # each branch has lines
        assert DraftLine.objects.filter(agent__team__path__startswith=f"/HQ/{code}/").exists()


def test_each_branch_closes_its_month_on_its_own(branches, travel):
    sales = User.objects.create(username="sales", role=Role.SALES_ADMIN,
                                unit=Unit.objects.get(code="HQ"))
    closer = User.objects.create(username="closer", role=Role.ADMIN)
    travel("2026-10-21T09:00")
    drafts = {code: settlement_compute(month=OCT, unit=branches[code], by=sales).settlement
              for code in BRANCHES}
    settlement_close(settlement=drafts["GD"], by=closer)
    travel("2026-11-21T09:00")
    # GD's November follows GD's closed October, whatever JS's October is.
    assert settlement_compute(month=NOV, unit=branches["GD"], by=sales).settlement.lines
    with pytest.raises(SettlementRefused, match="2026-10 is still a draft for JS"):
        settlement_compute(month=NOV, unit=branches["JS"], by=sales)
    with pytest.raises(SettlementRefused, match="2026-10 is still a draft for JS"):
        settlement_compute(month=NOV)  # the company's overlaps both


# -- in processes, on PostgreSQL -------------------------------------------------------


@LIVE_DB
def test_two_branches_settle_the_same_month_at_once_in_processes(branch_files):
    if connection.vendor != "postgresql":
        pytest.skip("runs in processes against one PostgreSQL database")
    load(branch_files)
    holder = Holder("/HQ/GD/", "compute", month="2026-10-01")  # GD's October computing
    try:
        js = pinzhi("settle", "2026-10", "--unit", "JS")
        for refused in (["settle", "2026-10", "--unit", "GD"], ["settle", "2026-10"],
                        ["evaluate", "--unit", "GZ", "--no-figures"]):
            done = pinzhi(*refused)
            assert done.returncode == 1, (refused, done.stdout, done.stderr)
            assert ("2026-10 is being settled already (/HQ/GD/, by system on "
                    f"{socket.gethostname()}, pid {holder.pid}") in done.stderr
    finally:
        holder.release()
    assert js.returncode == 0, js.stderr
    assert "evaluated as of the cutoff: callbacks:" in js.stdout  # JS's own, under its claim
    assert EvaluationRun.objects.filter(scope="all@JS").exists()
    assert not EvaluationRun.objects.filter(scope__in=["all", "all@GD"]).exists()
    # Both branches at once, each in its own process.
    runs = [subprocess.Popen([PINZHI, "settle", "2026-10", "--unit", code], env=pinzhi_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for code in BRANCHES]
    outcomes = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outcomes
    drafts = Settlement.objects.filter(month=OCT, status=Settlement.Status.DRAFT)
    assert sorted(s.scope_name for s in drafts) == ["GD", "JS"]


@LIVE_DB
def test_a_settlement_waits_for_an_overlapping_run_when_told(branch_files):
    if connection.vendor != "postgresql":
        pytest.skip("runs in processes against one PostgreSQL database")
    load(branch_files)
    holder = Holder("", "evaluate")  # the company's evaluation
    waiting = subprocess.Popen([PINZHI, "settle", "2026-10", "--unit", "GD", "--wait", "120"],
                               env=pinzhi_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    assert waiting.poll() is None  # still waiting, not refused
    assert not Settlement.objects.exists()
    holder.release()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert Settlement.objects.get(month=OCT).scope_name == "GD"
