"""The `receipts` feed file (interfaces.md): policy_no, [signed_on], collected_on."""

import datetime as dt

from pinzhi.core.importing import run_import
from pinzhi.core.models import Event
from pinzhi.policies.models import PolicyStatus
from pinzhi.receipts.evaluation import receipts_evaluate
from pinzhi.receipts.models import Receipt
from tests.factories import make_policy

from .conftest import rule_cases

HEADER = "policy_no,signed_on,collected_on\n"


def write(tmp_path, text, name="receipts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_a_corrected_date_voids_the_case(tmp_path, a002):
    result = run_import("receipts", write(tmp_path, HEADER + "R1,2026-05-02,2026-05-03\n"))
    assert result.ok and result.created == 1
    receipts_evaluate(as_of=dt.date(2026, 5, 10))
    assert rule_cases("R1").get().occurred_on == dt.date(2026, 5, 1)
    same = run_import("receipts", write(tmp_path, HEADER + "R1,2026-05-02,2026-05-03\n"))
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    fixed = run_import("receipts", write(tmp_path, HEADER + "R1,2026-04-29,2026-04-30\n"))
    assert fixed.ok and fixed.updated == 1
    assert Receipt.objects.get(policy=a002).collected_on == dt.date(2026, 4, 30)
    assert not rule_cases("R1").exists()  # the case followed its fact
    history = Event.objects.get(action="receipt.updated", key="R1")
    assert history.data["changes"]["collected_on"] == ["2026-05-03", "2026-04-30"]


def test_bad_rows_are_each_reported_and_nothing_is_written(tmp_path, a002, company):
    make_policy("R4", company.agents["A001"], company.products["ACC1"])
    make_policy("R5", company.agents["A001"], company.products["TRAD10"],
                status=PolicyStatus.COOLING_OFF_CANCELLED, status_on=dt.date(2026, 3, 5))
    make_policy("R6", company.agents["A001"], company.products["TRAD10"])
    text = HEADER + ("NOPE,,2026-05-01\n"
                     "R1,,2099-01-01\n"
                     "R6,2026-05-02,2026-05-01\n"
                     "R4,,2026-05-01\n"
                     "R5,,2026-05-01\n"
                     "P1,,2026-05-01\n")
    result = run_import("receipts", write(tmp_path, text))
    assert not result.ok
    found = {(e.row, e.column): e.reason for e in result.errors}
    assert found == {
        (2, "policy_no"): "no such policy",
        (3, "collected_on"): "in the future",
        (4, "signed_on"): "after collected_on",
        (5, "policy_no"): "the policy owes no receipt: it is not long-term",
        (6, "policy_no"): "the policy owes no receipt: it was cancelled in the cooling-off "
                          "period",
    }
    assert not Receipt.objects.exists()


def test_a_receipt_without_signed_on_and_a_late_one_records_the_case(tmp_path, a002):
    result = run_import("receipts", write(tmp_path, "collected_on,policy_no\n"
                                                    "2026-06-01,R1\n"),
                        now=dt.datetime(2026, 6, 2, tzinfo=dt.UTC))
    assert result.ok
    assert Receipt.objects.get(policy=a002).signed_on is None
    assert rule_cases("R1").get().occurred_on == dt.date(2026, 5, 1)
