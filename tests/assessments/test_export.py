"""`pinzhi export rank_decisions` (issue 8): one row per agent of the half-year, the
promotion feed's columns, then the recommended and decided outcome, CSV and XLSX."""

import csv

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pinzhi.assessments.exports import COLUMNS
from pinzhi.assessments.services import rank_decide

pytestmark = pytest.mark.django_db


def test_csv_and_xlsx(assessed, tmp_path):
    rank_decide(agent=assessed.agents["A004"], period="2026H1", outcome="promote",
                by=assessed.users.sales)
    out = tmp_path / "r.csv"
    call_command("export", "rank_decisions", "2026H1", "--as-of", "2026-07-10",
                 "--out", str(out))
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {r["agent_code"]: r for r in csv.DictReader(f)}
    assert list(rows) == ["A001", "A002", "A003", "A004"]
    assert list(rows["A001"]) == COLUMNS
    pick = ("standing", "promotion_eligible", "recommended", "outcome", "from_rank",
            "to_rank", "decided_on", "decided_by")
    assert [rows["A004"][k] for k in pick] == [
        "good", "true", "promote", "promote", "业务员", "业务主任", "2026-07-10", "sales"]
    assert [rows["A001"][k] for k in pick] == [
        "failed", "false", "demote", "", "业务主任", "", "", ""]
    assert rows["A003"]["recommended"] == "termination_review"
    book = tmp_path / "r.xlsx"
    call_command("export", "rank_decisions", "2026H1", "--out", str(book))
    sheet = load_workbook(book).active
    values = list(sheet.values)
    assert list(values[0]) == COLUMNS and len(values) == 5
    assert values[4][COLUMNS.index("to_rank")] == "业务主任"
