"""The `renewals` feed (interfaces.md) and its void kind: what 13-month persistency reads."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from pinzhi.core.importing import run_import
from pinzhi.reports.models import Renewal
from tests.factories import make_policy

HEADER = "policy_no,due_on,amount,paid_on\n"


@pytest.fixture
def policy(company):
    return make_policy("R1", company.agents["A001"], company.products["TRAD10"],
                       effective_on=dt.date(2025, 1, 15), printed_on=dt.date(2025, 1, 16),
                       signed_on=dt.date(2025, 1, 10))


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "renewals.csv"
    path.write_bytes(text.encode(encoding))
    return path


@time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False)
def test_renewals_load_update_and_void(policy, tmp_path):
    result = run_import("renewals", write(tmp_path, HEADER + "R1,2026-01-15,10000.00,\n",
                                          "gbk"))
    assert result.ok and result.created == 1
    renewal = Renewal.objects.get()
    assert (renewal.due_on, renewal.amount_fen, renewal.paid_on) == (
        dt.date(2026, 1, 15), 1_000_000, None)
    again = run_import("renewals", write(tmp_path, HEADER + "R1,2026-01-15,10000.00,"
                                                            "2026-02-20\n"))
    assert again.ok and again.updated == 1
    assert Renewal.objects.get().paid_on == dt.date(2026, 2, 20)
    call_command("void", "renewal", "R1/2026-01-15", "--reason", "entered twice")
    assert Renewal.objects.get().voided_at is not None
    with pytest.raises(CommandError):
        call_command("void", "renewal", "R1", "--reason", "no due day")


@time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False)
def test_bad_rows_are_listed_and_nothing_is_written(policy, tmp_path):
    result = run_import("renewals", write(tmp_path, HEADER + (
        "NOPE,2026-01-15,100.00,\n"
        "R1,2026-01-15,0.00,\n"
        "R1,2026-01-15,100.001,\n"
        "R1,2026-02-15,100.00,2026-12-01\n")))
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "policy_no"), (3, "amount"), (4, "amount"), (5, "paid_on")}
    assert not Renewal.objects.exists()
