"""`pinzhi settle` and `pinzhi export settlement` as users script them (interfaces.md):
exit codes, messages, four eyes, months in order, a closed month never recomputed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from pinzhi.settlement.models import Settlement

from .conftest import POLICIES, load, policy_row


@pytest.fixture
def month_data(bare, tmp_path, travel):
    travel("2026-04-25T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("K1", "ACC1", "300.00", "2026-02-02",
                                                     "2026-02-01")
         + policy_row("K2", "ACC1", "123.45", "2026-03-02", "2026-03-01", agent="A004"))
    return bare


def settle(*args):
    call_command("settle", *args)


def refused(*args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("settle", *args)
    assert caught.value.returncode == 1
    return str(caught.value)


def test_compute_close_and_refusals(month_data, capsys):
    gd = ("--unit", "GD")
    assert "may not compute the settlement of *" in refused("2026-02", "--by", "sales")
    settle("2026-02", *gd, "--by", "sales")
    assert "draft of 1 lines over 1 policies, net 300.00" in capsys.readouterr().out
    assert "a second person must close it" in refused("2026-02", *gd, "--close", "--by",
                                                      "sales")
    assert "may not close" in refused("2026-02", *gd, "--close", "--by", "officer")
    assert "still a draft" in refused("2026-03", *gd, "--by", "sales")  # months in order
    settle("2026-02", *gd, "--close", "--by", "admin")
    assert "closed by admin, 1 lines in the ledger" in capsys.readouterr().out
    assert "already closed" in refused("2026-02", *gd, "--close", "--by", "admin")
    assert "never recomputed" in refused("2026-02", *gd, "--by", "sales")
    assert "is closed for GD" in refused("2026-02")  # the company's overlaps GD's


def test_the_system_computes_and_anyone_allowed_closes(month_data):
    settle("2026-02")  # no --by: the system account
    assert Settlement.objects.get().computed_by is None
    assert "need --by" in str(pytest.raises(CommandError, call_command, "settle", "2026-02",
                                            "--close").value)
    assert "may not close the settlement of *" in refused("2026-02", "--close", "--by",
                                                          "sales")  # GD's scope only
    settle("2026-02", "--close", "--by", "admin")
    assert Settlement.objects.get().closed_by.username == "admin"


def test_a_month_cannot_close_before_its_cutoff(month_data, travel):
    travel("2026-04-19T23:59")
    settle("2026-04")
    assert "before its cutoff, 2026-04-20 00:00" in refused("2026-04", "--close", "--by",
                                                            "admin")


def test_units_settle_apart_and_overlaps_are_refused(month_data, capsys):
    settle("2026-03", "--unit", "GZ", "--by", "sales")
    assert "net 300.00" in capsys.readouterr().out  # K1 (T1): K2 is SZ's
    assert "overlaps" in refused("2026-03", "--unit", "GD", "--by", "sales")
    settle("2026-03", "--unit", "SZ", "--by", "sales")
    assert "net 123.45" in capsys.readouterr().out
    settle("2026-03", "--unit", "GZ", "--discard", "--by", "sales")
    assert list(Settlement.objects.values_list("scope_path", flat=True)) == ["/HQ/GD/SZ/"]
    assert "may not compute" in refused("2026-03", "--unit", "GZ", "--by", "officer_sz")


def test_usage_errors(month_data):
    with pytest.raises(CommandError) as caught:
        call_command("settle", "2026-3")
    assert caught.value.returncode == 2
    assert "no unit" in refused("2026-02", "--unit", "NOPE")
    assert "no active user" in refused("2026-02", "--by", "nobody")


def test_exports_in_csv_and_xlsx(month_data, tmp_path):
    settle("2026-03")
    out = tmp_path / "m.xlsx"
    call_command("export", "settlement", "2026-03", "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0] == ("month", "agent_code", "agent_name", "unit_code", "accrued", "paid",
                       "deducted", "recovered", "adjusted", "forfeited", "cancelled",
                       "withheld", "net")
    assert rows[1][:6] == ("2026-03", "A001", "张伟", "T1", 300.0, 300.0)
    assert rows[2][1] == "A004" and rows[2][12] == 123.45
    csv_out = tmp_path / "m.csv"
    call_command("export", "settlement", "2026-03", "--detail", "--unit", "SZ",
                 "--out", str(csv_out))
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == [
        "month,agent_code,policy_no,action,amount,reasons", "2026-03,A004,K2,pay,123.45,"]
    with pytest.raises(CommandError, match="has not been settled"):
        call_command("export", "settlement", "2026-07", "--out", str(csv_out))
