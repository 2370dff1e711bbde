"""`pinzhi export recruitment` (issue 8): a row per candidate with his checks in short and
the verdict; the ID number and the phone masked; CSV and XLSX."""

import csv

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pinzhi.recruitment.exports import HEADER
from pinzhi.recruitment.services import check_record

from .conftest import ID1, ID2, candidate, clear_all, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruits(company):
    clear_all(company, candidate(company, "R1", ID1))
    r2 = candidate(company, "R2", ID2, team="T3")
    check_record(candidate=r2, kind="licence_revoked", checked_on=d(2026, 5, 10),
                 outcome="barred", event_on=d(2022, 1, 1), source="执业登记系统",
                 by=company.users.sales)
    return company


def test_csv(recruits, tmp_path):
    out = tmp_path / "recruitment.csv"
    call_command("export", "recruitment", "--out", str(out))
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    r1, r2 = (dict(zip(HEADER, row, strict=True)) for row in rows[1:])
    assert (r1["id_number"], r1["phone"]) == (ID1[:6] + "********" + ID1[-4:], "139****2222")
    assert ID1 not in out.read_text(encoding="utf-8-sig")
    assert (r1["state"], r1["may_sign"], r1["barred_checks"]) == ("cleared", "true", "0")
    assert r1["checks"].startswith("criminal_record:clear@2026-05-10; ")
    assert (r2["state"], r2["may_sign"]) == ("barred", "false")
    assert "licence_revoked: barred through 2027-01-01" in r2["reasons"]


def test_xlsx_for_a_unit_as_of_a_day(recruits, tmp_path):
    out = tmp_path / "recruitment.xlsx"
    call_command("export", "recruitment", "--unit", "SZ", "--as-of", "2027-01-02",
                 "--out", str(out))
    rows = list(load_workbook(out).active.values)
    assert rows[0] == tuple(HEADER)
    assert [(r[0], r[9]) for r in rows[1:]] == [("R2", "pending")]  # the bar has ended
