"""The ledger is append-only, in code and in the database; two runs of a month never run
at once."""

import datetime as dt
import os
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from pinzhi.settlement import computing
from pinzhi.settlement.locking import claimed
from pinzhi.settlement.models import LedgerLine, RunClaim
from pinzhi.settlement.services import (
    SettlementRefused,
    settlement_close,
    settlement_compute,
)

from .conftest import POLICIES, load, policy_row

FEB = dt.date(2026, 2, 1)


@pytest.fixture
def closed_month(bare, tmp_path, travel):
    travel("2026-03-01T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("G1", "ACC1", "300.00", "2026-02-02",
                                                     "2026-02-01"))
    computed = settlement_compute(month=FEB, by=bare.users.sales, unit=bare.units["GD"])
    settlement_close(settlement=computed.settlement, by=bare.users.admin)
    return LedgerLine.objects.get()


def test_ledger_lines_are_never_changed_in_code(closed_month):
    closed_month.amount_fen = 1
    with pytest.raises(RuntimeError, match="append-only"):
        closed_month.save()
    with pytest.raises(RuntimeError, match="append-only"):
        closed_month.delete()
    with pytest.raises(RuntimeError, match="append-only"):
        LedgerLine.objects.filter(pk=closed_month.pk).update(amount_fen=1)
    with pytest.raises(RuntimeError, match="append-only"):
        LedgerLine.objects.all().delete()


@pytest.mark.parametrize("sql", ["UPDATE {t} SET amount_fen = 1", "DELETE FROM {t}"])
def test_ledger_lines_are_never_changed_in_the_database(closed_month, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cur:
        cur.execute(sql.format(t=LedgerLine._meta.db_table))
    assert LedgerLine.objects.get().amount_fen == 30_000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_of_a_month_at_once_one_is_refused(monkeypatch, tmp_path):
    from tests.factories import build_company

    company = build_company()
    started, release, errors = threading.Event(), threading.Event(), []
    lines = computing.month_lines

    def slow_lines(**kwargs):  # the first run holds its claim until told to go on
        started.set()
        release.wait(30)
        yield from lines(**kwargs)

    monkeypatch.setattr(computing, "month_lines", slow_lines)

    def first():
        try:
            settlement_compute(month=FEB, by=company.users.sales, evaluate=False,
                               unit=company.units["GD"])
        except Exception as exc:  # noqa: BLE001  (reported to the test thread)
            errors.append(exc)
        finally:
            connection.close()

    runner = threading.Thread(target=first)
    runner.start()
    assert started.wait(10), errors
    try:
        with pytest.raises(SettlementRefused, match="being settled already"):
            settlement_compute(month=FEB, by=company.users.admin, evaluate=False)
    finally:
        release.set()
        runner.join(60)
    assert errors == []
    assert not RunClaim.objects.exists()


def test_a_claim_left_by_a_dead_process_is_taken_over(bare):
    import socket

    RunClaim.objects.create(month=FEB, what="compute", host=socket.gethostname(),
                            pid=2 ** 22 + 12345, by="sales")
    with claimed(month=FEB, scope_path="", what="compute", by=None) as claim:
        assert claim.pid == os.getpid()
    assert not RunClaim.objects.exists()


def test_a_claim_whose_pid_is_now_another_process_is_taken_over(bare):
    """After a crash the number can be reused (or, after a reboot, be anyone's): the
    claim names its process by boot and start time too, and this process is not it."""
    import socket

    from pinzhi.settlement.locking import process_identity

    mine = process_identity(os.getpid())
    if not mine:
        pytest.skip("no /proc here: only the pid is checked")
    boot, started = mine.split("/")
    RunClaim.objects.create(month=FEB, what="compute", host=socket.gethostname(),
                            pid=os.getpid(), process=f"{boot}/{int(started) - 1}", by="sales")
    with claimed(month=FEB, scope_path="", what="compute", by=None) as claim:
        assert claim.process == mine
    assert not RunClaim.objects.exists()


def test_a_claim_of_a_live_process_is_respected(bare):
    import socket

    from pinzhi.settlement.locking import process_identity

    RunClaim.objects.create(month=FEB, what="compute", host=socket.gethostname(),
                            pid=os.getpid(), process=process_identity(os.getpid()), by="sales")
    with pytest.raises(SettlementRefused, match="being settled already"):
        with claimed(month=FEB, scope_path="", what="close", by=None):
            pass


def test_a_draft_being_computed_is_not_discarded_from_under_it(closed_month, bare):
    """Its workers may still be writing lines: the discard waits its turn (refused)."""
    import socket

    from pinzhi.settlement.locking import process_identity
    from pinzhi.settlement.models import Settlement
    from pinzhi.settlement.services import settlement_discard

    draft = settlement_compute(month=dt.date(2026, 3, 1), by=bare.users.sales,
                               unit=bare.units["GD"]).settlement
    RunClaim.objects.create(month=draft.month, what="compute", host=socket.gethostname(),
                            scope_path=draft.scope_path, pid=os.getpid(),
                            process=process_identity(os.getpid()), by="sales")
    with pytest.raises(SettlementRefused, match="being settled already"):
        settlement_discard(settlement=draft, by=bare.users.sales)
    assert Settlement.objects.filter(pk=draft.pk).exists()
    RunClaim.objects.all().delete()
    settlement_discard(settlement=draft, by=bare.users.sales)
    assert not Settlement.objects.filter(pk=draft.pk).exists()
