"""The recruitment_checks feed (issue 8): GBK CSV and XLSX; a bad row names its row and
column, and nothing is written."""

import pytest
from openpyxl import Workbook

from pinzhi.core.importing import run_import
from pinzhi.recruitment.models import RecruitmentCheck
from pinzhi.recruitment.services import contract_sign
from pinzhi.recruitment.verdicts import verdict_for

from .conftest import ID2, TODAY, candidate, clear_all, d

pytestmark = pytest.mark.django_db

COLUMNS = ["candidate_no", "kind", "checked_on", "outcome", "event_on", "ends_on", "source",
           "note"]
HEADER = ",".join(COLUMNS) + "\n"


def load(tmp_path, text: str, by=None):
    path = tmp_path / "checks.csv"
    path.write_bytes(text.encode("gbk"))
    return run_import("recruitment_checks", path, by=by)


def test_a_gbk_file_of_checks(company, tmp_path):
    cand = candidate(company)
    rows = "".join(f"R1,{kind},2026-05-10,clear,,,国家金融监督管理总局系统,\n"
                   for kind in ("criminal_record", "licence_revoked", "industry_ban",
                                "credit_blacklist"))
    result = load(tmp_path, HEADER + rows + "R1,dismissed_for_cause,2026-05-11,barred,"
                  "2024-03-01,,原任职保险公司,严重违规被开除\n", by=company.users.sales)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 5
    barred = RecruitmentCheck.objects.get(kind="dismissed_for_cause")
    assert (barred.event_on, barred.note, barred.by) == (d(2024, 3, 1), "严重违规被开除",
                                                         company.users.sales)
    assert verdict_for(cand, TODAY).reasons == ["dismissed_for_cause: barred through 2029-03-01"]
    again = load(tmp_path, HEADER + rows)
    assert (again.ok, again.created, again.unchanged) == (True, 0, 4)


def test_an_xlsx_with_a_bad_row_writes_nothing(company, tmp_path):
    candidate(company)
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["R1", "criminal_record", "2026-05-10", "clear", None, None, "公安", None])
    sheet.append(["R1", "licence_revoked", "2026-05-10", "barred", None, None, "执业系统", None])
    sheet.append(["R7", "industry_ban", "2026-05-10", "clear", None, None, "人民银行", None])
    sheet.append(["R1", "credit_blacklist", "2026-04-01", "clear", None, None, "征信", None])
    sheet.append(["R1", "tax_record", "2026-05-10", "clear", None, None, "税务", None])
    path = tmp_path / "checks.xlsx"
    book.save(path)
    result = run_import("recruitment_checks", path)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "event_on"), (4, "candidate_no"), (5, "checked_on"), (6, "kind")}
    assert "required for a barred outcome" in " ".join(str(e) for e in result.errors)
    assert not RecruitmentCheck.objects.exists()


def test_no_new_check_after_the_contract(company, tmp_path):
    cand = candidate(company, "R2", ID2)
    clear_all(company, cand)
    contract_sign(candidate=cand, code="A900", hired_on=TODAY, by=company.users.sales)
    same = load(tmp_path, HEADER + "R2,criminal_record,2026-05-10,clear,,,"
                "国家金融监督管理总局系统,\n")
    assert same.ok and same.unchanged == 1  # the file sent again changes nothing
    new = load(tmp_path, HEADER + "R2,criminal_record,2026-05-30,clear,,,公安,\n")
    assert [(e.row, e.column) for e in new.errors] == [(2, "candidate_no")]
    assert "signed the contract already" in str(new.errors[0])
