"""The inspection_findings feed (issue 8): GBK CSV and XLSX; the default deadline, the
checklist item by its number, a case drafted for a finding that shows a violation; a bad
row names its row and column, and nothing is written."""

import pytest
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.inspections import services
from pinzhi.inspections.models import Finding
from pinzhi.quality.models import Case, CaseSource

from .conftest import d, plan

pytestmark = pytest.mark.django_db

HEADER = "finding_no,plan_no,found_on,description,owner_username,due_on,agent_code," \
         "violation_code,item_seq\n"


@pytest.fixture
def planned(company):
    j1 = plan(company)
    services.checklist_from_template(plan=j1, template="standard", by=company.users.officer)
    plan(company, "J4", unit="SZ", by=company.users.officer_sz)
    return company


def load(tmp_path, text: str, encoding="gbk", by=None):
    path = tmp_path / "findings.csv"
    path.write_bytes(text.encode(encoding))
    return run_import("inspection_findings", path, by=by)


def test_a_gbk_file_of_findings(planned, tmp_path):
    result = load(tmp_path, HEADER
                  + "F1,J1,2026-05-01,回执超期未回销,clerk,,A001,receipt_not_returned,2\n"
                  + "F2,J1,2026-05-20,展业证未悬挂,officer,2026-06-05,,,\n"
                  + "F4,J4,2026-05-03,函件未反馈,officer_sz,,,,\n",
                  by=planned.users.officer)
    assert result.ok, [str(e) for e in result.errors]
    f1, f2, f4 = Finding.objects.order_by("finding_no")
    assert (f1.due_on, f1.item.seq, f1.agent.code, f1.owner.username) == (
        d(5, 31), 2, "A001", "clerk")
    assert (f1.case.type.code, f1.case.agent.code, f1.case.source) == (
        "receipt_not_returned", "A001", CaseSource.AUDIT)
    assert (f2.due_on, f2.item, f2.case) == (d(6, 5), None, None)
    assert f4.due_on == d(6, 2) and Case.objects.count() == 1
    again = load(tmp_path, HEADER
                 + "F1,J1,2026-05-01,回执超期未回销,clerk,,A001,receipt_not_returned,2\n")
    assert again.ok and (again.unchanged, Case.objects.count()) == (1, 1)


def test_without_the_optional_columns_the_default_deadline(planned, tmp_path):
    result = load(tmp_path, "finding_no,plan_no,found_on,description,owner_username\n"
                  "F1,J1,2026-05-01,回执超期未回销,clerk\n")
    assert result.ok, [str(e) for e in result.errors]
    assert Finding.objects.get().due_on == d(5, 31)


def test_bad_rows_name_the_row_and_column_and_nothing_is_written(planned, tmp_path):
    result = load(tmp_path, HEADER
                  + "F1,J1,2026-05-01,ok,clerk,,A001,receipt_not_returned,2\n"
                  + "F2,J1,2026-05-01,x,officer_sz,,,,\n"  # owner outside the unit
                  + "F3,J1,2026-05-01,x,clerk,,A004,,\n"  # agent of SZ
                  + "F4,J1,2026-05-01,x,clerk,,,misleading_sales,\n"  # no agent
                  + "F5,J1,2026-05-01,x,clerk,,,,99\n"  # no such item
                  + "F6,J9,2026-05-01,x,clerk,,,,\n"  # no such plan
                  + "F7,J1,2026-03-01,x,clerk,,,,\n"  # before the period
                  + "F8,J1,2026-05-01,x,agent,,,,\n"  # an agent owns nothing
                  + "F9,J1,2026-05-01,x,clerk,2026-04-01,,,\n")  # due before found
    assert not result.ok
    errors = {(e.row, e.column) for e in result.errors}
    assert errors == {(3, "owner_username"), (4, "agent_code"), (5, "violation_code"),
                      (6, "item_seq"), (7, "plan_no"), (8, "found_on"),
                      (9, "owner_username"), (10, "due_on")}
    assert not Finding.objects.exists() and not Case.objects.exists()


def test_an_xlsx_with_a_bad_row(planned, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["F1", "J1", "2026-05-01", "回执超期", "clerk", "", "A001",
                  "receipt_not_returned", 2])
    sheet.append(["F2", "J1", "2099-05-01", "x", "clerk", "", "", "", ""])
    path = tmp_path / "findings.xlsx"
    book.save(path)
    result = run_import("inspection_findings", path)
    assert [(e.row, e.column) for e in result.errors] == [(3, "found_on")]
    assert not Finding.objects.exists() and not Case.objects.exists()
    sheet.delete_rows(3)
    book.save(path)
    assert run_import("inspection_findings", path).ok
    assert Finding.objects.get().case.agent.code == "A001"
