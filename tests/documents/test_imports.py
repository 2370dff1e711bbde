"""The `valuable_documents` feed file (interfaces.md)."""

import datetime as dt

import pytest

from pinzhi.core.importing import run_import
from pinzhi.documents.models import ValuableDocument
from pinzhi.quality.models import Case

pytestmark = pytest.mark.django_db

HEADER = "doc_no,doc_type,agent_code,issued_on,due_on,returned_on\n"


def write(tmp_path, text, name="docs.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def live_keys():
    return set(Case.objects.filter(rule_key__startswith="documents.overdue:",
                                   voided_at__isnull=True).values_list("rule_key", flat=True))


def test_a_file_records_documents_and_their_overdue_cases(company, tmp_path):
    text = HEADER + (
        "YJ0002,保费暂收收据,A001,2026-01-05,2026-02-05,\n"  # overdue
        "YJ0001,保费暂收收据,A001,2026-01-05,2026-02-05,2026-02-05\n"  # on the due date
        "YJ0003,,A003,2026-01-05,2026-02-05,2026-03-01\n")  # returned late: it was overdue
    result = run_import("valuable_documents", write(tmp_path, text, encoding="gb18030"))
    assert result.ok and result.created == 3, result.errors
    assert result.warnings == [
        "row 2: YJ0002: overdue: a documents_overdue case was recorded",
        "row 4: YJ0003: overdue: a documents_overdue case was recorded"]
    assert live_keys() == {"documents.overdue:YJ0002", "documents.overdue:YJ0003"}
    again = run_import("valuable_documents", write(tmp_path, text, encoding="gb18030"))
    assert (again.created, again.unchanged, again.warnings) == (0, 3, [])


def test_a_return_date_corrected_to_the_due_date_voids_the_case(company, tmp_path):
    run_import("valuable_documents", write(tmp_path, HEADER + "D1,,A001,2026-01-05,2026-02-05,\n"))
    assert live_keys() == {"documents.overdue:D1"}
    fixed = run_import("valuable_documents",
                       write(tmp_path, HEADER + "D1,,A001,2026-01-05,2026-02-05,2026-02-05\n"))
    assert fixed.ok and fixed.updated == 1
    assert fixed.warnings == ["row 2: D1: returned in time or corrected: its overdue case "
                              "was voided"]
    assert live_keys() == set()


def test_bad_rows_are_listed_and_nothing_is_written(company, tmp_path):
    text = HEADER + (
        "OK1,,A001,2026-01-05,2026-02-05,\n"
        "B1,,A999,2026-01-05,2026-02-05,\n"  # unknown agent
        "B2,,A001,2026-03-05,2026-04-05,2026-03-01\n"  # returned before issued
        "B3,,A001,2026-01-05,2026-02-05,2099-01-01\n"  # returned in the future
        "B4,,A001,2026-03-05,2026-02-05,\n"  # due before issued
        "B5,,A001,2099-01-05,2099-02-05,\n")  # issued in the future
    result = run_import("valuable_documents", write(tmp_path, text))
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "agent_code"), (4, "returned_on"), (5, "returned_on"), (6, "due_on"),
        (7, "issued_on")}
    assert not ValuableDocument.objects.exists()
    assert not Case.objects.exists()


def test_unknown_columns_are_an_error(company, tmp_path):
    result = run_import("valuable_documents", write(
        tmp_path, "doc_no,agent_code,issued_on,due_on,retuned_on\nD1,A001,2026-01-05,"
                  "2026-02-05,\n"))
    assert not result.ok and any(e.column == "retuned_on" for e in result.errors)


def test_a_changed_agent_moves_the_case(company, tmp_path):
    run_import("valuable_documents", write(tmp_path, HEADER + "D1,,A001,2026-01-05,2026-02-05,\n"))
    run_import("valuable_documents", write(tmp_path, HEADER + "D1,,A002,2026-01-05,2026-02-05,\n"))
    case = Case.objects.get(rule_key="documents.overdue:D1")
    assert (case.agent.code, case.occurred_on) == ("A002", dt.date(2026, 2, 6))
