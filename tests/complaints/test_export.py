"""`pinzhi export complaints`: one row per complaint with its clock as of the day, in CSV
and XLSX; voided ones and those received after the day left out."""

import csv

import openpyxl
import pytest
from django.core.management import call_command

from pinzhi.complaints.exports import HEADER
from pinzhi.complaints.services import complaint_extend

from .conftest import d, receive


@pytest.fixture
def complaints(company):
    k1 = receive(company, "K1", received=(5, 1))
    receive(company, "K2", policy="P4", agent="A004", received=(5, 25), by=company.users.hq)
    complaint_extend(complaint=k1, on=d(5, 10), reason="调查中",
                     customer_told_on=d(5, 10), by=company.users.officer)
    return company


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_rows_with_their_clock_as_of_the_day(complaints, tmp_path):
    out = tmp_path / "complaints.csv"
    call_command("export", "complaints", "--as-of", "2026-06-01", "--out", str(out))
    rows = read_csv(out)
    assert list(rows[0]) == HEADER
    assert [(r["complaint_no"], r["state"], r["due_on"], r["overdue"], r["extensions"])
            for r in rows] == [("K1", "open", "2026-05-31", "true", "1"),
                               ("K2", "open", "2026-06-09", "false", "0")]
    assert rows[0]["agent_code"] == "A001" and rows[0]["policy_no"] == "P1"


def test_the_day_and_the_span_narrow_it(complaints, tmp_path):
    out = tmp_path / "c.xlsx"
    call_command("export", "complaints", "--as-of", "2026-05-20", "--out", str(out))
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER) and [r[0] for r in rows[1:]] == ["K1"]
    out = tmp_path / "c.csv"
    call_command("export", "complaints", "--from", "2026-05-02", "--out", str(out))
    assert [r["complaint_no"] for r in read_csv(out)] == ["K2"]
