"""`pinzhi export commendations` (issue 8): CSV and XLSX, a period, voided ones left out."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from pinzhi.core.voiding import void_fact

from .conftest import commend

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(company):
    commend(company, "J1", on=(3, 1))
    commend(company, "J2", on=(5, 1), kind="sales", title="=销售冠军")
    commend(company, "J3", on=(5, 2))
    void_fact(kind="commendation", key="J3", reason="重复", by=None)
    return company


def test_csv_of_a_period(three, tmp_path):
    out = tmp_path / "c.csv"
    call_command("export", "commendations", "--from", "2026-04-01", "--to", "2026-05-31",
                 "--out", str(out))
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == ("commendation_no,awarded_on,agent_code,agent_name,unit_code,kind,"
                        "title,reason,awarded_by_unit")
    assert [line.split(",")[:7] for line in lines[1:]] == [
        ["J2", "2026-05-01", "A001", "张伟", "T1", "sales", "'=销售冠军"]]
    with pytest.raises(CommandError, match="--from is after --to"):
        call_command("export", "commendations", "--from", "2026-06-01", "--to",
                     "2026-05-01", "--out", str(out))


def test_xlsx_all(three, tmp_path):
    out = tmp_path / "c.xlsx"
    call_command("export", "commendations", "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["J1", "J2"]
