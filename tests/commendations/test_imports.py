"""The commendations feed (issue 8): a GBK CSV and an XLSX; a bad row names its row and
column, and nothing is written."""

import datetime as dt

import pytest
from openpyxl import Workbook

from pinzhi.commendations.models import Commendation
from pinzhi.core.importing import run_import

pytestmark = pytest.mark.django_db

HEADER = "commendation_no,agent_code,awarded_on,kind,title,reason,unit_code"


def test_a_gbk_file(company, tmp_path):
    path = tmp_path / "commendations.csv"
    path.write_bytes((HEADER + "\nJ1,A001,2026-05-20,integrity,拒绝误导销售,如实告知,GZ\n"
                      "J2,A004,2026-05-21,sales,销售冠军,季度第一,SZ\n").encode("gbk"))
    result = run_import("commendations", path)
    assert result.ok, [str(e) for e in result.errors]
    j1 = Commendation.objects.get(commendation_no="J1")
    assert (j1.agent.code, j1.kind, j1.title, j1.awarded_by_unit.code) == (
        "A001", "integrity", "拒绝误导销售", "GZ")


def test_an_xlsx_with_bad_rows_writes_nothing(company, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["J1", "A001", dt.date(2026, 5, 20), "service", "t", "r", "T1"])
    sheet.append(["J2", "A001", "2026-05-20", "bravery", "t", "r", "T1"])  # row 3
    sheet.append(["J3", "A001", "2026-05-20", "team", "t", "r", "SZ"])  # row 4
    sheet.append(["J4", "A001", "2099-05-20", "team", "t", "r", "T1"])  # row 5
    path = tmp_path / "commendations.xlsx"
    book.save(path)
    result = run_import("commendations", path)
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "kind"), (4, "unit_code"), (5, "awarded_on")}
    assert "not a unit above agent A001" in " ".join(str(e) for e in result.errors)
    assert not Commendation.objects.exists()
