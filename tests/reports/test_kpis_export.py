"""`pinzhi export kpis` (interfaces.md): the contract's columns, a row per unit of the
level (its whole subtree) or per agent, empty cells where a rate has no denominator."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from pinzhi.reports.exports import HEADER

ARGS = ("--from", "2026-01-01", "--to", "2026-01-31", "--as-of", "2026-06-01T00:00:00")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_contract_columns():
    assert HEADER[:5] == ["unit_code", "unit_name", "level", "from", "to"]
    assert HEADER[5:] == [
        "policies", "premium", "commission", "callbacks_due", "callback_first_round_rate",
        "callback_success_rate", "callback_in_time_rate", "receipts_due",
        "receipt_collection_rate", "receipt_on_time_rate", "persistency_13m", "agents",
        "cases", "points", "points_per_100_agents", "withheld", "deducted", "forfeited",
        "satisfaction"]


def test_subbranches_sum_their_teams(january, tmp_path):
    out = tmp_path / "k.csv"
    call_command("export", "kpis", *ARGS, "--level", "subbranch", "--out", str(out))
    rows = {r["unit_code"]: r for r in read(out)}
    assert list(rows) == ["GZ", "SZ"]
    gz, sz = rows["GZ"], rows["SZ"]
    assert (gz["unit_name"], gz["level"], gz["from"], gz["to"]) == (
        "广州支公司", "subbranch", "2026-01-01", "2026-01-31")
    assert (gz["policies"], gz["premium"], gz["callbacks_due"],
            gz["callback_success_rate"], gz["persistency_13m"], gz["agents"],
            gz["satisfaction"]) == ("3", "6000.00", "3", "0.6667", "1.0000", "3", "4.50")
    assert (sz["policies"], sz["callback_success_rate"], sz["persistency_13m"],
            sz["satisfaction"], sz["agents"]) == ("0", "", "", "", "1")  # "—": empty


def test_agents_in_xlsx(january, tmp_path):
    out = tmp_path / "k.xlsx"
    call_command("export", "kpis", *ARGS, "--level", "agent", "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {"A001", "A002", "A003", "A004"}
    assert by_code["A001"][1:3] == ("张伟", "agent") and by_code["A001"][5] == 2
    assert by_code["A003"][HEADER.index("satisfaction")] == 4.0


def test_bad_arguments(january, tmp_path):
    with pytest.raises(CommandError, match="after"):
        call_command("export", "kpis", "--from", "2026-02-01", "--to", "2026-01-01",
                     "--level", "team", "--out", str(tmp_path / "k.csv"))
