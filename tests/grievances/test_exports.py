"""`pinzhi export grievances` (issue 8): CSV and XLSX, each grievance's state as of a day,
no summary, no reply."""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pinzhi.grievances.services import grievance_reply

from .conftest import d, raise_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(company):
    raise_one(company, "G1", received=(5, 1))
    g2 = raise_one(company, "G2", agent="A004", received=(5, 10), by=company.users.hq)
    grievance_reply(grievance=g2, reply="已处理", outcome="upheld", replied_on=d(5, 30),
                    by=company.users.hq)
    return company


def test_csv_as_of_a_day(two, tmp_path):
    out = tmp_path / "g.csv"
    call_command("export", "grievances", "--as-of", "2026-05-16", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ("grievance_no,received_on,agent_code,agent_name,unit_code,about,"
                        "against_agent_code,channel,handler,due_on,state,replied_on,outcome")
    assert lines[1:] == ["G1,2026-05-01,A001,张伟,T1,company,,letter,,2026-05-16,open,,",
                         "G2,2026-05-10,A004,刘洋,T3,company,,letter,hq,2026-05-25,open,,"]
    assert "佣金" not in raw.decode("utf-8-sig")


def test_xlsx_today(two, tmp_path):
    out = tmp_path / "g.xlsx"
    call_command("export", "grievances", "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [(r[0], r[10], r[11], r[12]) for r in rows[1:]] == [
        ("G1", "overdue", None, None), ("G2", "replied_late", "2026-05-30", "upheld")]
