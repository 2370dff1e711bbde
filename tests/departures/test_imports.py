"""The departures feed (issue 8): GBK CSV and XLSX; every new row does what the service
does (the agent terminated, his policies reassigned); a bad row names its row and column
and nothing is written."""

import datetime as dt

import pytest
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.core.models import Event
from pinzhi.departures.models import Departure, ServicingAssignment

from .conftest import LEFT, depart

pytestmark = pytest.mark.django_db

HEADER = "agent_code,left_on,reason,servicing_agent_code,note\n"


def load(tmp_path, text: str, by=None):
    path = tmp_path / "departures.csv"
    path.write_bytes(text.encode("gbk"))
    return run_import("departures", path, by=by)


def test_a_gbk_file_does_what_the_service_does(leaver, tmp_path):
    result = load(tmp_path, HEADER + "A001,2026-05-10,resigned,A002,个人原因辞职\n"
                  "A004,2026-05-15,contract_ended,A003,\n", by=leaver.users.admin)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    a1 = Departure.objects.get(agent__code="A001")
    assert (a1.left_on, a1.note, a1.servicing_agent.code, a1.recorded_by.username) == (
        LEFT, "个人原因辞职", "A002", "admin")
    a1.agent.refresh_from_db()
    assert (a1.agent.status, a1.agent.left_on) == ("terminated", LEFT)
    assigned = dict(ServicingAssignment.objects.values_list("policy__policy_no",
                                                            "agent__code"))
    assert assigned == {"P1": "A002", "P5": "A002", "P7": "A002", "P4": "A003"}
    assert Event.objects.filter(action="agent.updated", key="A004").exists()
    # the same file again changes nothing
    again = load(tmp_path, HEADER + "A001,2026-05-10,resigned,A002,个人原因辞职\n")
    assert again.ok and again.unchanged == 1 and ServicingAssignment.objects.count() == 4


def test_bad_rows_are_refused_and_nothing_is_written(leaver, tmp_path):
    depart(leaver, agent="A003", servicing="A002")
    result = load(tmp_path, HEADER + "A001,2026-05-10,resigned,A001,\n"
                  "A003,2026-05-12,resigned,A002,\n"
                  "A004,2026-05-10,fired,A002,\n"
                  "A002,2099-01-01,resigned,A004,\n"
                  "A009,2026-05-10,resigned,A002,\n", by=leaver.users.admin)
    assert not result.ok
    errors = {(e.row, e.column) for e in result.errors}
    assert errors == {(2, "servicing_agent_code"), (3, "agent_code"), (4, "reason"),
                      (5, "left_on"), (6, "agent_code")}
    text = " ".join(str(e) for e in result.errors)
    assert "cannot service his own policies" in text and "has left already" in text
    assert Departure.objects.count() == 1 and ServicingAssignment.objects.count() == 1
    leaver.agents["A001"].refresh_from_db()
    assert leaver.agents["A001"].status == "active"


def test_the_scope_of_who_imports(leaver, tmp_path):
    result = load(tmp_path, HEADER + "A004,2026-05-10,resigned,A003,\n",
                  by=leaver.users.clerk)
    assert [(e.row, e.column) for e in result.errors] == [(2, "agent_code")]
    assert "outside clerk's scope" in str(result.errors[0])


def test_an_xlsx_with_a_bad_row(leaver, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["A001", dt.date(2026, 5, 10), "resigned", "A002", "辞职"])
    sheet.append(["A004", dt.date(2026, 5, 10), "resigned", "A004", None])
    path = tmp_path / "departures.xlsx"
    book.save(path)
    result = run_import("departures", path)
    assert [(e.row, e.column) for e in result.errors] == [(3, "servicing_agent_code")]
    assert not Departure.objects.exists()
    book.remove(sheet)
    sheet = book.create_sheet()
    sheet.append(HEADER.strip().split(","))
    sheet.append(["A001", dt.date(2026, 5, 10), "resigned", "A002", "辞职"])
    book.save(path)
    assert run_import("departures", path).ok
    assert ServicingAssignment.objects.count() == 3
