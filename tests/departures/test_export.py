"""`pinzhi export departures` (issue 8): one row per departure with each task's deadline,
state and counts as of the day."""

import csv

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pinzhi.departures.exports import HEADER
from pinzhi.departures.services import policyholders_told

from .conftest import d, depart

pytestmark = pytest.mark.django_db


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_one_row_per_departure_as_of_the_day(leaver, tmp_path):
    departure = depart(leaver)
    policyholders_told(departure=departure, told_on=d(5, 20), how="letter",
                       by=leaver.users.sales)
    out = tmp_path / "departures.csv"
    call_command("export", "departures", "--as-of", "2026-06-10", "--out", str(out))
    header, *rows = read(out)
    assert header == HEADER
    assert rows == [["A001", "张伟", "T1", "2026-05-10", "resigned", "A002", "3",
                     "2026-06-09", "done", "2", "2", "2026-06-09", "overdue", "0", "2"]]
    call_command("export", "departures", "--as-of", "2026-05-19", "--out", str(out))
    assert read(out)[1][8:11] == ["open", "0", "2"]  # told on 05-20: not yet


def test_xlsx(leaver, tmp_path):
    depart(leaver)
    out = tmp_path / "departures.xlsx"
    call_command("export", "departures", "--out", str(out))
    rows = list(load_workbook(out).active.values)
    assert list(rows[0]) == HEADER
    assert (rows[1][0], rows[1][8], rows[1][12]) == ("A001", "open", "open")
