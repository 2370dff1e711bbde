"""`pinzhi export scores YYYYH1|YYYYH2 --as-of DATE --out FILE` (interfaces.md): the
contract's columns, CSV with BOM or XLSX with numbers as numbers, one row per agent of
the half-year; and examples.md "Quality points" end to end from an imported cases file.
"""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from pinzhi.org.models import Agent
from pinzhi.quality.models import Case
from pinzhi.quality.services import appeal_overturn, case_appeal

pytestmark = pytest.mark.django_db

COLUMNS = ["period", "agent_code", "agent_name", "unit_code", "points", "cases", "standing",
           "consequences"]
CASES_HEADER = "case_no,agent_code,violation_code,occurred_on,policy_no,found_on,status,evidence"
FAILED = "warning_letter;remedial_training;no_promotion;no_club;no_maintenance"


def import_cases(tmp_path, lines, name="cases.csv"):
    path = tmp_path / name
    path.write_bytes("\n".join([CASES_HEADER, *lines, ""]).encode("gbk"))
    call_command("import", "cases", str(path), verbosity=0)


def export(tmp_path, period, as_of, suffix="csv"):
    path = tmp_path / f"scores-{period}-{as_of}.{suffix}"
    call_command("export", "scores", period, "--as-of", as_of, "--out", str(path))
    return path


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def lines_of(path):
    """The CSV as text lines, for asserting exact rows."""
    return path.read_bytes().decode("utf-8-sig").splitlines()


# -- the worked example (examples.md, "Quality points") ----------------------------------

def worked_example_file():
    # 12 documents due weekly from 02-01 to 04-19, none returned: overdue the day after
    due = [dt.date(2026, 2, 1) + dt.timedelta(days=7 * i) for i in range(12)]
    assert due[-1] == dt.date(2026, 4, 19)
    rows = [f"D{n:02d},A001,documents_overdue,{day + dt.timedelta(days=1)},,,confirmed,"
            f"单证VD{n:04d}逾期未回销" for n, day in enumerate(due, start=1)]
    return rows + [
        "N1,A001,notice_late,2026-05-11,P1,2026-05-15,confirmed,函件5月10日到期，5月14日送达",
        "C1,A001,claim_noncooperation,2026-06-30,,,confirmed,理赔调查不配合",
        "B1,A001,benefit_promised,2026-07-01,P1,,confirmed,承诺返还首年保费",
        "F1,A001,forged_signature,2026-03-20,P1,2026-03-21,draft,回访发现代签名",
        "R1,A002,receipt_not_returned,2026-05-01,P2,,confirmed,回执4月30日到期未回收",
    ]


def test_examples_md_end_to_end(company, tmp_path):
    import_cases(tmp_path, worked_example_file())
    h1 = lines_of(export(tmp_path, "2026H1", "2026-06-30"))
    assert h1 == [
        ",".join(COLUMNS),
        f"2026H1,A001,张伟,T1,15.5,14,failed,{FAILED}",
        "2026H1,A002,王芳,T1,1.0,1,good,",
        "2026H1,A003,李娜,T2,0.0,0,good,",
        "2026H1,A004,刘洋,T3,0.0,0,good,",
    ]
    h2 = lines_of(export(tmp_path, "2026H2", "2026-12-31"))
    assert h2[1] == f"2026H2,A001,张伟,T1,20.0,1,termination,{FAILED};termination_review"
    assert h2[2] == "2026H2,A002,王芳,T1,0.0,0,good,"
    # the 11th and 12th overdue documents (by day, then case number) cost 2 points
    assert [c.case_no for c in Case.objects.filter(type__code="documents_overdue")
            .order_by("occurred_on", "case_no")][10:] == ["D11", "D12"]


def test_examples_md_as_xlsx(company, tmp_path):
    import_cases(tmp_path, worked_example_file())
    sheet = load_workbook(export(tmp_path, "2026H1", "2026-06-30", "xlsx")).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert rows[1] == ["2026H1", "A001", "张伟", "T1", 15.5, 14, "failed", FAILED]
    assert rows[2][4:] == [1, 1, "good", None]  # 1.0 points, no consequences
    points, cases = sheet.cell(row=2, column=5), sheet.cell(row=2, column=6)
    assert points.data_type == "n" and isinstance(points.value, float)
    assert cases.data_type == "n" and cases.value == 14


# -- the contract ------------------------------------------------------------------------

def test_csv_has_a_bom_and_exactly_the_columns(company, tmp_path):
    path = export(tmp_path, "2026H1", "2026-06-30")
    raw = path.read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"
    assert raw[3:].split(b"\r\n")[0] == b"period,agent_code,agent_name,unit_code,points," \
                                        b"cases,standing,consequences"
    rows = read_csv(path)
    assert rows[0] == COLUMNS
    assert [r[1] for r in rows[1:]] == ["A001", "A002", "A003", "A004"]  # zero rows too
    assert all(r[4:] == ["0.0", "0", "good", ""] for r in rows[1:])


def test_xlsx_has_exactly_the_columns(company, tmp_path):
    sheet = load_workbook(export(tmp_path, "2026H1", "2026-06-30", "xlsx")).active
    assert [c.value for c in sheet[1]] == COLUMNS
    assert sheet.max_row == 5


def test_one_row_per_agent_active_in_the_half_year(company, tmp_path):
    Agent.objects.filter(code="A004").update(status="terminated",
                                             left_on=dt.date(2025, 12, 31))  # left before
    Agent.objects.filter(code="A003").update(status="terminated",
                                             left_on=dt.date(2026, 1, 1))  # active a day
    Agent.objects.create(code="A005", name="赵磊", id_number="440106199001010011",
                         phone="13800000005", rank="业务员", team=company.units["T3"],
                         hired_on=dt.date(2026, 6, 30))
    Agent.objects.create(code="A006", name="孙丽", id_number="440106199001010022",
                         phone="13800000006", rank="业务员", team=company.units["T3"],
                         hired_on=dt.date(2026, 7, 1))  # hired after the half-year
    rows = read_csv(export(tmp_path, "2026H1", "2026-06-30"))
    assert [r[1] for r in rows[1:]] == ["A001", "A002", "A003", "A005"]


def test_cases_after_the_as_of_day_are_left_out(company, tmp_path):
    import_cases(tmp_path, [
        "E1,A001,notice_late,2026-05-11,,,confirmed,",
        "E2,A001,claim_noncooperation,2026-06-30,,,confirmed,",
    ])
    assert read_csv(export(tmp_path, "2026H1", "2026-06-29"))[1][4:6] == ["1.0", "1"]
    assert read_csv(export(tmp_path, "2026H1", "2026-06-30"))[1][4:6] == ["1.5", "2"]
    assert read_csv(export(tmp_path, "2026H1", "2026-05-10"))[1][4:6] == ["0.0", "0"]


def test_appealed_cases_count_overturned_do_not(company, tmp_path):
    import_cases(tmp_path, [
        "E1,A001,terms_changed,2026-05-11,,,confirmed,",
        "E2,A001,notice_late,2026-05-12,,,confirmed,",
        "E3,A001,notice_late,2026-05-13,,,draft,",
        "E4,A002,notice_late,2026-05-13,,,confirmed,",
    ])
    agent = company.users.agent
    case_appeal(case=Case.objects.get(case_no="E1"), by=agent, reason="已如实告知")
    rows = read_csv(export(tmp_path, "2026H1", "2026-06-30"))
    assert rows[1][4:] == ["11.0", "2", "restricted",
                           "warning_letter;remedial_training;no_promotion;no_club"]
    appeal_overturn(case=Case.objects.get(case_no="E1"), by=company.users.hq, note="证据不足")
    rows = read_csv(export(tmp_path, "2026H1", "2026-06-30"))
    assert rows[1][4:] == ["1.0", "1", "good", ""]
    assert rows[2][4:6] == ["1.0", "1"]


def test_a_bad_period_exits_1(company, tmp_path, capsys):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2026Q1") as exc:
        call_command("export", "scores", "2026Q1", "--as-of", "2026-06-30",
                     "--out", str(tmp_path / "x.csv"))
    assert exc.value.returncode == 1
