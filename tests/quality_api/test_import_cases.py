"""`pinzhi import cases FILE` (interfaces.md, rules §7.2): GBK CSV and XLSX, every bad
row reported together with nothing written, re-imports that change nothing, cases
imported as confirmed confirmed by the importing user, clocked types given their due day.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.core.models import Event
from pinzhi.quality.models import Case

pytestmark = pytest.mark.django_db

HEADER = "case_no,agent_code,violation_code,occurred_on,policy_no,found_on,status,evidence"
ROWS = [
    "K1,A001,notice_late,2026-05-11,P1,2026-05-20,confirmed,函件逾期未反馈",
    "K2,A003,misleading_sales,2026-03-12,P3,2026-03-13,,回访第4题客户答“否”",
    "K3,A004,claim_noncooperation,2026-06-30,,,draft,",
]


def write_csv(tmp_path, lines, name="cases.csv", encoding="gbk"):
    path = tmp_path / name
    path.write_bytes("\n".join([HEADER, *lines, ""]).encode(encoding))
    return path


def run(capsys, path, *args):
    """The command's exit code, stdout and stderr."""
    try:
        call_command("import", "cases", str(path), *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out = capsys.readouterr()
    return code, out.out, out.err


def state():
    """The cases and their history (the import run's own log aside)."""
    return (list(Case.objects.order_by("case_no").values()),
            list(Event.objects.exclude(kind="import").order_by("id").values()))


def test_gbk_csv(company, tmp_path, capsys):
    code, out, err = run(capsys, write_csv(tmp_path, ROWS))
    assert code == 0, err
    assert "created 3" in out
    k1, k2, k3 = (Case.objects.select_related("version", "policy").get(case_no=n)
                  for n in ("K1", "K2", "K3"))
    assert (k1.status, k1.evidence, k1.policy.policy_no, k1.found_on) == (
        "confirmed", "函件逾期未反馈", "P1", dt.date(2026, 5, 20))
    assert k1.counts and k1.decided_at is not None and k1.told_at is not None
    assert (k2.status, k2.evidence) == ("draft", "回访第4题客户答“否”")
    assert k3.found_on == k3.occurred_on  # found when it happened, by default
    assert (k1.version.points_tenths, k2.version.points_tenths,
            k3.version.points_tenths) == (10, 100, 5)


def test_xlsx_with_typed_cells(company, tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["K1", "A001", "benefit_promised", dt.date(2026, 7, 1), "P1",
                  dt.datetime(2026, 7, 3), "confirmed", "承诺返还首年保费"])
    sheet.append(["K2", "A002", "receipt_not_returned", "2026-05-01", None, None, None, None])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    code, out, err = run(capsys, path)
    assert code == 0, err
    k1, k2 = Case.objects.get(case_no="K1"), Case.objects.get(case_no="K2")
    assert (k1.occurred_on, k1.found_on, k1.status, k1.type.code) == (
        dt.date(2026, 7, 1), dt.date(2026, 7, 3), "confirmed", "benefit_promised")
    assert (k2.status, k2.policy, k2.evidence) == ("draft", None, "")


TOMORROW = timezone.localdate() + dt.timedelta(days=1)
BAD_ROWS = [
    "K1,A001,notice_late,2026-05-11,P1,2026-05-20,draft,函件逾期未反馈",  # row 2
    "K4,A999,notice_late,2026-05-11,,,,",  # row 3
    "K5,A001,no_such_violation,2026-05-11,,,,",  # row 4
    f"K6,A001,notice_late,{TOMORROW},,,,",  # row 5
    "K7,A001,notice_late,2026-05-11,,2026-05-10,,",  # row 6
    "K8,A002,receipt_not_returned,2026-05-01,,,,",  # a good row: not written either
]


def reported(err, row, column, words):
    return any(f"row {row}, column {column}" in line and words in line
               for line in err.splitlines())


def test_every_bad_row_reported_and_nothing_written(company, tmp_path, capsys):
    assert run(capsys, write_csv(tmp_path, ROWS[:1]))[0] == 0  # K1 is now confirmed
    before = state()
    code, out, err = run(capsys, write_csv(tmp_path, BAD_ROWS, name="bad.csv"))
    assert code == 1
    assert reported(err, 3, "agent_code", "'A999': no such agent"), err
    assert reported(err, 4, "violation_code", "no_such_violation"), err
    assert reported(err, 5, "occurred_on", f"'{TOMORROW}': in the future"), err
    assert reported(err, 6, "found_on", "before occurred_on"), err
    assert "nothing written" in err
    assert state() == before
    assert not Case.objects.filter(case_no="K8").exists()


def test_a_file_may_not_take_a_confirmed_case_back_to_draft(company, tmp_path, capsys):
    assert run(capsys, write_csv(tmp_path, ROWS[:1]))[0] == 0
    before = state()
    code, out, err = run(capsys, write_csv(tmp_path, [BAD_ROWS[0], BAD_ROWS[-1]],
                                           name="back.csv"))
    assert code == 1
    assert reported(err, 2, "status", "the case is confirmed: a file may only confirm a "
                                      "draft"), err
    assert state() == before
    assert not Case.objects.filter(case_no="K8").exists()


def test_the_status_row_is_listed_with_the_other_bad_rows(company, tmp_path, capsys):
    assert run(capsys, write_csv(tmp_path, ROWS[:1]))[0] == 0
    code, out, err = run(capsys, write_csv(tmp_path, BAD_ROWS, name="bad.csv"))
    assert code == 1
    assert reported(err, 2, "status", "a file may only confirm a draft"), err
    assert "5 problem(s) in 5 row(s)" in err


def test_a_reimport_changes_nothing(company, tmp_path, capsys):
    path = write_csv(tmp_path, ROWS)
    assert run(capsys, path)[0] == 0
    before = state()
    code, out, err = run(capsys, path)
    assert code == 0, err
    assert "created 0, updated 0, unchanged 3" in out
    assert state() == before


def test_a_file_confirms_a_draft(company, tmp_path, capsys):
    assert run(capsys, write_csv(tmp_path, ROWS))[0] == 0
    confirmed = ROWS[1].replace(",,回访", ",confirmed,回访")
    code, out, err = run(capsys, write_csv(tmp_path, [confirmed], name="again.csv"))
    assert code == 0, err
    k2 = Case.objects.get(case_no="K2")
    assert k2.status == "confirmed" and k2.decided_at is not None and k2.counts
    events = {e.action: e for e in Event.objects.filter(kind="case", key="K2")}
    assert set(events) == {"case.updated", "case.confirmed"}
    assert events["case.updated"].data["changes"]["status"] == ["draft", "confirmed"]


def test_confirmed_by_the_importing_user_from_the_command_line(company, tmp_path, capsys):
    code, out, err = run(capsys, write_csv(tmp_path, ROWS), "--by", "hq")
    assert code == 0, err
    _assert_confirmed_by_hq(company)


def test_confirmed_by_the_importing_user(company, tmp_path):
    """The same through the engine the command calls (`run_import(by=...)`)."""
    from pinzhi.core.importing import run_import

    result = run_import("cases", write_csv(tmp_path, ROWS), by=company.users.hq)
    assert result.ok, result.errors
    _assert_confirmed_by_hq(company)


def _assert_confirmed_by_hq(company):
    k1 = Case.objects.get(case_no="K1")
    assert (k1.status, k1.decided_by) == ("confirmed", company.users.hq)
    event = Event.objects.get(kind="case", key="K1", action="case.confirmed")
    assert event.actor == company.users.hq
    assert (event.at, k1.told_at) == (k1.decided_at, k1.decided_at)
    # drafts are not confirmed by importing them
    assert Case.objects.get(case_no="K2").decided_by is None
    assert not Event.objects.filter(kind="case", key="K2", action="case.confirmed").exists()


def test_misleading_sales_gets_its_due_day(company, tmp_path, capsys):
    assert run(capsys, write_csv(tmp_path, ROWS))[0] == 0
    # 15 working days from Friday 2026-03-13 (rules §4.8): 2026-04-03
    assert Case.objects.get(case_no="K2").due_on == dt.date(2026, 4, 3)
    assert Case.objects.get(case_no="K1").due_on is None  # notice_late has no clock


def test_dry_run_writes_nothing(company, tmp_path, capsys):
    before = state()
    code, out, err = run(capsys, write_csv(tmp_path, ROWS), "--dry-run")
    assert code == 0, err
    assert "dry run" in out and state() == before


def test_a_file_without_the_optional_found_on_column(company, tmp_path):
    """found_on is optional in the contract: absent, a case is found when it occurred."""
    path = tmp_path / "cases.csv"
    path.write_text("case_no,agent_code,violation_code,occurred_on,status\n"
                    "N1,A001,claim_noncooperation,2026-03-10,confirmed\n", encoding="utf-8")
    result = run_import("cases", path, by=company.users.hq)
    assert result.ok, [str(e) for e in result.errors]
    case = Case.objects.get(case_no="N1")
    assert case.found_on == case.occurred_on == dt.date(2026, 3, 10)
