"""The callback feed files (interfaces.md): attempts, contact updates, requests."""

import datetime as dt

import pytest

from pinzhi.callbacks import rules
from pinzhi.callbacks.models import CallbackAttempt, CallbackStatus, ContactUpdate
from pinzhi.core.importing import run_import
from pinzhi.core.voiding import void_fact
from pinzhi.quality.models import Case
from tests.factories import make_policy

ATTEMPTS = "policy_no,round,attempted_at,outcome,findings,satisfaction,operator\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def e10(company):
    return make_policy("E10", company.agents["A001"], company.products["TRAD10"],
                       signed_on=dt.date(2026, 2, 28), printed_on=dt.date(2026, 3, 1),
                       effective_on=dt.date(2026, 3, 1))


def test_attempts_from_a_gbk_file_with_flagged_rows_as_warnings(tmp_path, e10):
    text = ATTEMPTS + (
        "E10,1,2026-03-12T19:00:00+08:00,busy,,,王小红\n"  # out of order: placed by time
        "E10,1,2026-03-11T09:30:00,no_answer,,,王小红\n"
        "E10,1,2026-03-11T22:30:00,no_answer,,,王小红\n"  # outside the hours
        "E10,2,2026-03-13T10:00:00,busy,,,王小红\n"  # round 2 not open
        "E10,1,2026-04-20T09:05:00,success,,5,王小红\n")
    result = run_import("callback_attempts", write(tmp_path, "a.csv", text, "gbk"))
    assert result.ok and result.created == 5
    assert result.warnings == [
        "row 4: E10: kept, not counted: outside the calling hours",
        "row 5: E10: kept, not counted: the round was not open"]
    status = CallbackStatus.objects.get(policy=e10)
    assert status.status == rules.SUCCEEDED and status.attempts == 5
    again = run_import("callback_attempts", write(tmp_path, "a.csv", text, "gbk"))
    assert again.created == 0 and again.unchanged == 5


def test_bad_rows_are_listed_and_nothing_is_written(tmp_path, e10):
    text = ATTEMPTS + (
        "NOPE,1,2026-03-11T09:30:00,no_answer,,,\n"
        "E10,1,2099-03-11T09:30:00,no_answer,,,\n"
        "E10,3,2026-03-11T09:30:00,no_answer,,,\n"
        "E10,1,2026-03-11T09:30:00,maybe,,,\n"
        "E10,1,2026-03-11T10:30:00,busy,forged_signature,,\n"
        "E10,1,2026-03-11T11:30:00,success,forged;x,9,\n")
    result = run_import("callback_attempts", write(tmp_path, "a.csv", text))
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} >= {
        (2, "policy_no"), (3, "attempted_at"), (4, "round"), (5, "outcome"),
        (6, "findings"), (7, "findings"), (7, "satisfaction")}
    assert not CallbackAttempt.objects.exists()


def test_an_imported_finding_drafts_its_case_once(tmp_path, e10):
    text = ATTEMPTS + "E10,1,2026-03-11T10:00:00,success,forged_signature;misleading,3,\n"
    run_import("callback_attempts", write(tmp_path, "a.csv", text))
    run_import("callback_attempts", write(tmp_path, "a.csv", text))
    codes = sorted(Case.objects.filter(policy=e10).values_list("type__code", flat=True))
    assert codes == ["forged_signature", "misleading_sales"]
    assert not CallbackStatus.objects.get(policy=e10).condition_met


def test_contact_updates_and_a_false_number(tmp_path, e10):
    text = ("policy_no,updated_at,phone,agent_code\n"
            "E10,2026-03-14T10:00:00,13800000002,A001\n")
    result = run_import("contact_updates", write(tmp_path, "u.csv", text))
    assert result.ok and ContactUpdate.objects.count() == 1
    assert result.warnings == ["row 2: E10: the phone is an agent's or a branch's: a "
                               "false-customer-information case was recorded"]
    case = Case.objects.get(policy=e10, type__code="false_customer_info")
    assert case.occurred_on == dt.date(2026, 3, 14)
    void_fact(kind="contact_update", key="E10/2026-03-14T10:00:00", reason="typo")
    case.refresh_from_db()
    assert case.voided_at is not None


def test_requests_from_a_file(tmp_path, e10):
    text = ("policy_no,kind,requested_on,approved_on,earliest_on\n"
            "E10,early,2026-03-02,2026-03-03,2026-03-05\n")
    assert run_import("callback_requests", write(tmp_path, "r.csv", text)).ok
    status = CallbackStatus.objects.get(policy=e10)
    assert status.round_1_opens_at == dt.datetime(2026, 3, 5, 1, tzinfo=dt.UTC)
    bad = ("policy_no,kind,requested_on,approved_on,earliest_on\n"
           "E10,exemption,2026-03-02,2026-03-01,2026-03-05\n")
    result = run_import("callback_requests", write(tmp_path, "r2.csv", bad))
    assert {e.column for e in result.errors} == {"approved_on", "earliest_on"}


def test_an_imported_policy_with_an_agents_phone_is_cased(tmp_path, company):
    header = ("policy_no,agent_code,product_code,applicant_name,applicant_id_number,"
              "applicant_phone,premium,commission,signed_on,printed_on,effective_on\n")
    row = ("N1,A001,TRAD10,陈静,440104197001010011,13800000001,1000,100,"
           "2026-03-01,2026-03-02,2026-03-02\n")
    result = run_import("policies", write(tmp_path, "p.csv", header + row))
    assert result.ok and any("false-customer-information" in w for w in result.warnings)
    assert Case.objects.filter(policy__policy_no="N1", type__code="false_customer_info",
                               status="confirmed").count() == 1


def test_voiding_an_attempt_reevaluates_and_voids_its_cases(tmp_path, e10):
    text = ATTEMPTS + "E10,1,2026-03-11T10:00:00,success,forged_signature,3,\n"
    run_import("callback_attempts", write(tmp_path, "a.csv", text))
    void_fact(kind="callback_attempt", key="E10/1/2026-03-11T10:00:00", reason="wrong policy")
    assert CallbackStatus.objects.get(policy=e10).status == rules.ROUND_1
    assert Case.objects.get(policy=e10).voided_at is not None
