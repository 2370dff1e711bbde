"""`pinzhi export inspection_findings` (issue 8): one row per finding with its state as
of the day, CSV and XLSX, narrowed to a unit's subtree."""

import csv

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def read_csv(path):
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_csv_with_the_state_as_of_a_day(inspected, tmp_path):
    out = tmp_path / "findings.csv"
    call_command("export", "inspection_findings", "--out", str(out))
    rows = {r["finding_no"]: r for r in read_csv(out)}
    assert set(rows) == {"F1", "F2", "F4"}
    assert (rows["F1"]["state"], rows["F1"]["due_on"], rows["F1"]["owner_username"]) == (
        "overdue", "2026-05-31", "clerk")
    assert rows["F2"]["case_no"].startswith("Q2026") and rows["F2"]["agent_code"] == "A001"
    call_command("export", "inspection_findings", "--as-of", "2026-05-31", "--unit", "GZ",
                 "--out", str(out))
    rows = {r["finding_no"]: r["state"] for r in read_csv(out)}
    assert rows == {"F1": "open", "F2": "open"}
    call_command("export", "inspection_findings", "--as-of", "2026-05-10", "--out", str(out))
    assert {r["finding_no"] for r in read_csv(out)} == {"F1", "F4"}  # F2 found later


def test_xlsx_and_an_unknown_unit(inspected, tmp_path):
    out = tmp_path / "findings.xlsx"
    call_command("export", "inspection_findings", "--unit", "SZ", "--out", str(out))
    sheet = load_workbook(out).active
    values = list(sheet.values)
    assert values[0][0] == "finding_no" and [r[0] for r in values[1:]] == ["F4"]
    with pytest.raises(CommandError, match="no such unit"):
        call_command("export", "inspection_findings", "--unit", "XX", "--out", str(out))
