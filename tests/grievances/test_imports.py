"""The grievances feed (issue 8): a GBK CSV and an XLSX; a bad row names its row and
column, and nothing is written."""

import datetime as dt

import pytest
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.grievances.models import Grievance

pytestmark = pytest.mark.django_db

HEADER = "grievance_no,received_on,agent_code,about,against_agent_code,channel,summary"


def load_csv(tmp_path, text: str):
    path = tmp_path / "grievances.csv"
    path.write_bytes(text.encode("gbk"))
    return run_import("grievances", path)


def test_a_gbk_file_of_grievances(company, tmp_path):
    result = load_csv(tmp_path, HEADER + "\nG1,2026-05-20,A001,manager,A002,letter,主管克扣展业费\n"
                      "G2,2026-05-21,A004,commission,,,续期佣金少发\n")
    assert result.ok, [str(e) for e in result.errors]
    g1, g2 = Grievance.objects.order_by("grievance_no")
    assert (g1.agent.code, g1.against_agent.code, g1.about, g1.summary) == (
        "A001", "A002", "manager", "主管克扣展业费")
    assert (g2.against_agent, g2.channel, g2.replied_on, g2.handler) == (
        None, "letter", None, None)


def test_an_xlsx_with_a_bad_row_writes_nothing(company, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["G1", dt.date(2026, 5, 20), "A001", "company", None, "hotline", "s"])
    sheet.append(["G2", "2026-05-20", "A001", "weather", None, None, "s"])  # row 3
    sheet.append(["G3", "2026-05-20", "A001", "colleague", "A001", None, "s"])  # row 4
    sheet.append(["G4", "2099-01-01", "A999", "company", None, None, "s"])  # row 5
    path = tmp_path / "grievances.xlsx"
    book.save(path)
    result = run_import("grievances", path)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "about"), (4, "against_agent_code"), (5, "received_on")}
    assert not Grievance.objects.exists()
    result = run_import("grievances", _only_unknown_agent(tmp_path))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "agent_code", "no such agent")]


def _only_unknown_agent(tmp_path):
    path = tmp_path / "unknown.csv"
    path.write_text(HEADER + "\nG9,2026-05-20,A999,company,,,s\n", encoding="utf-8")
    return path
