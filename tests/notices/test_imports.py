"""The `notices` feed file (interfaces.md): rows written, cases following, bad rows
reported with their row and column and nothing written."""

import pytest

from pinzhi.core.importing import run_import
from pinzhi.notices.models import Notice
from pinzhi.quality.models import Case

pytestmark = pytest.mark.django_db

HEADER = ("notice_no,policy_no,agent_code,kind,issued_on,due_on,delivered_on,reported_on,"
          "report_false,harm\n")


def write(tmp_path, text, name="notices.csv"):
    path = tmp_path / name
    path.write_bytes((HEADER + text).encode("utf-8"))
    return path


def live_cases():
    return dict(Case.objects.filter(rule_key__startswith="notices.case:",
                                    voided_at__isnull=True)
                .values_list("rule_key", "type__code"))


def test_a_file_records_its_notices_and_their_cases(company, tmp_path):
    text = ("N1,P1,A001,notice,2026-05-01,2026-05-10,2026-05-14,2026-05-14,,\n"
            "N2,P1,A001,problem_letter,2026-05-01,2026-05-10,2026-05-08,2026-05-09,false,\n"
            "N3,P3,A003,保全批单,2026-05-01,2026-05-20,,,,\n")
    result = run_import("notices", write(tmp_path, text))
    assert result.ok and result.created == 3
    assert result.warnings == [
        "row 2: N1: a notice_late case was recorded, occurring 2026-05-11",
        "row 4: N3: a notice_late case was recorded, occurring 2026-05-21"]
    assert Notice.objects.get(notice_no="N3").kind == "保全批单"
    assert live_cases() == {"notices.case:N1": "notice_late", "notices.case:N3": "notice_late"}
    again = run_import("notices", write(tmp_path, text))
    assert again.ok and again.unchanged == 3 and again.warnings == []


def test_a_corrected_row_replaces_or_voids_the_case(company, tmp_path):
    run_import("notices", write(tmp_path, (
        "N1,P1,A001,,2026-05-01,2026-05-10,2026-05-14,2026-05-14,,\n"
        "N2,P1,A001,,2026-05-01,2026-05-10,2026-05-14,2026-05-14,,\n")))
    result = run_import("notices", write(tmp_path, (
        "N1,P1,A001,,2026-05-01,2026-05-10,2026-05-14,2026-05-14,,yes\n"
        "N2,P1,A001,,2026-05-01,2026-05-10,2026-05-09,2026-05-10,,\n")))
    assert result.ok and result.updated == 2
    assert result.warnings == [
        "row 2: N1: its notice_late case was replaced by a notice_harm case, occurring "
        "2026-05-11",
        "row 3: N2: its notice_late case was voided"]
    assert live_cases() == {"notices.case:N1": "notice_harm"}


def test_bad_rows_are_listed_and_nothing_is_written(company, tmp_path):
    text = ("N1,NOPE,A001,,2026-05-01,2026-05-10,,,,\n"
            "N2,P1,A999,,2026-05-01,2026-05-10,,,,\n"
            "N3,P1,A001,,2026-05-01,2026-05-10,2026-05-08,2026-05-07,,\n"
            "N4,P1,A001,,2026-05-01,2026-05-10,2026-06-02,,,\n"
            "N5,P1,A001,,2026-05-01,2026-04-30,,,,\n"
            "N6,P1,A001,,2026-05-01,2026-05-10,2026-04-20,,,\n"
            "N7,P1,A001,,2026-05-01,2026-05-10,,,maybe,\n"
            "N8,P1,A001,,2026-05-01,2026-05-10,2026-05-08,2026-05-09,,\n")
    result = run_import("notices", write(tmp_path, text))
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {
        (2, "policy_no"), (3, "agent_code"), (4, "reported_on"), (5, "delivered_on"),
        (6, "due_on"), (7, "delivered_on"), (8, "report_false")}
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons[(4, "reported_on")] == "before delivered_on"
    assert reasons[(5, "delivered_on")] == "in the future"
    assert not Notice.objects.exists() and not live_cases()
