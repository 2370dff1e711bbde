"""The issue's worked scenarios beyond the examples: the 19th against the 20th, a finding
decided, a deduction priced by the version in force on its day, a correction after
closing, a voided policy, late data."""

import datetime as dt

import pytest

from pinzhi.core.models import Parameter
from pinzhi.quality.models import Case
from pinzhi.settlement import rules
from pinzhi.settlement.models import DraftLine, LedgerLine
from pinzhi.settlement.services import (
    SettlementRefused,
    adjustment_add,
    settlement_close,
    settlement_compute,
)

from .conftest import POLICIES, load, policy_row

ATTEMPTS = "policy_no,round,attempted_at,outcome,findings\n"
FEB, MAR, APR = (dt.date(2026, m, 1) for m in (2, 3, 4))


def lines(settlement):
    model = LedgerLine if settlement.is_closed else DraftLine
    return sorted(model.objects.filter(settlement=settlement).values_list(
        "policy__policy_no", "action", "amount_fen", "reasons"))


def settle(company, month, close=True):
    computed = settlement_compute(month=month, by=company.users.sales,
                                  unit=company.units["GD"])
    if close:
        return settlement_close(settlement=computed.settlement, by=company.users.admin)
    return computed.settlement


def test_the_19th_counts_and_the_20th_does_not(bare, tmp_path, travel):
    travel("2026-03-01T09:00")
    load(tmp_path, "policies", POLICIES + "".join([
        policy_row("D19", "TRAD10", "100.00", "2026-02-01", "2026-02-01"),
        policy_row("D20", "TRAD10", "200.00", "2026-02-01", "2026-02-01"),
        policy_row("T19", "TRAD10", "300.00", "2026-02-01", "2026-02-01"),
        policy_row("T20", "TRAD10", "400.00", "2026-02-01", "2026-02-01"),
        policy_row("P19", "ACC1", "50.00", "2026-02-19", "2026-02-19"),
        policy_row("P20", "ACC1", "60.00", "2026-02-20", "2026-02-20"),
    ]))
    load(tmp_path, "receipts", "policy_no,collected_on\n"
         "D19,2026-02-19\nD20,2026-02-20\nT19,2026-02-05\nT20,2026-02-05\n")
    load(tmp_path, "callback_attempts", ATTEMPTS +
         "D19,1,2026-02-11T10:00:00,success,\nD20,1,2026-02-11T10:00:00,success,\n"
         "T19,1,2026-02-19T20:59:59,success,\nT20,1,2026-02-20T09:00:00,success,\n")
    feb = settle(bare, FEB, close=False)
    assert lines(feb) == [
        ("D19", "pay", 10_000, ""),
        ("D20", "withhold", 20_000, "receipt_missing"),  # collected on the 20th: March
        ("P19", "pay", 5_000, ""),  # printed on the 19th: February; on the 20th: March
        ("T19", "pay", 30_000, ""),
        ("T20", "withhold", 40_000, "callback_pending"),  # called on the 20th: March
    ]


def test_a_finding_holds_the_commission_until_its_case_is_decided(bare, tmp_path, travel):
    travel("2026-05-01T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("F1", "TRAD10", "1000.00",
                                                     "2026-03-02", "2026-03-01"))
    load(tmp_path, "receipts", "policy_no,collected_on\nF1,2026-03-05\n")
    load(tmp_path, "callback_attempts", ATTEMPTS +
         "F1,1,2026-03-13T10:00:00,success,misleading\n")
    case = Case.objects.get(policy__policy_no="F1")
    assert case.status == "draft"
    assert lines(settle(bare, MAR)) == [("F1", "withhold", 100_000, "finding_open")]
    # Confirmed on 04-10: April's cutoff finds the case decided; the commission is paid
    # (the points are the case's business, rules §7).
    Case.objects.filter(pk=case.pk).update(
        status="confirmed", decided_at=dt.datetime(2026, 4, 10, 11, tzinfo=rules.SHANGHAI))
    assert lines(settle(bare, APR)) == [("F1", "pay", 100_000, "")]


def test_a_deduction_is_priced_by_the_version_in_force_on_its_day(bare, tmp_path, travel):
    travel("2026-05-01T09:00")
    Parameter.objects.create(key="receipts.late_deduction_fen", valid_from=dt.date(2026, 4, 12),
                             value=3000, note="the branch raised it")
    load(tmp_path, "policies", POLICIES + policy_row("L1", "TRAD10", "800.00", "2026-01-05",
                                                     "2026-01-04")
         + policy_row("L2", "TRAD10", "800.00", "2026-01-05", "2026-01-04"))
    load(tmp_path, "receipts", "policy_no,collected_on\nL1,2026-04-10\nL2,2026-04-14\n")
    load(tmp_path, "callback_attempts", ATTEMPTS + "L1,1,2026-01-15T15:00:00,success,\n"
         "L2,1,2026-01-15T15:00:00,success,\n")
    settle(bare, MAR)
    april = settle(bare, APR)
    deducts = LedgerLine.objects.filter(settlement=april, action="deduct").order_by(
        "policy__policy_no").values_list("policy__policy_no", "amount_fen", "rule_version")
    assert list(deducts) == [("L1", 2000, "receipts.late_deduction_fen@default"),
                             ("L2", 3000, "receipts.late_deduction_fen@2026-04-12")]
    pay = LedgerLine.objects.get(settlement=april, action="pay", policy__policy_no="L1")
    assert pay.rule_version == rules.RULES_VERSION


def test_a_correction_after_closing_is_a_signed_line_of_a_later_month(bare, tmp_path, travel):
    travel("2026-03-25T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("C1", "ACC1", "300.00", "2026-02-02",
                                                     "2026-02-01"))
    agent = bare.agents["A001"]
    with pytest.raises(SettlementRefused, match="no month is closed"):
        adjustment_add(agent=agent, amount_fen=-5000, reason="x", by=bare.users.sales)
    feb = settle(bare, FEB)
    assert lines(feb) == [("C1", "pay", 30_000, "")]
    with pytest.raises(SettlementRefused, match="written reason"):
        adjustment_add(agent=agent, amount_fen=-5000, reason="  ", by=bare.users.sales)
    with pytest.raises(SettlementRefused, match="may not adjust"):
        adjustment_add(agent=agent, amount_fen=-5000, reason="x", by=bare.users.officer)
    adjustment = adjustment_add(agent=agent, amount_fen=-5000, by=bare.users.sales,
                                reason="产品佣金率录入错误，多发50元", policy=None)
    assert adjustment.month == MAR
    draft = settlement_compute(month=MAR, by=bare.users.sales, unit=bare.units["GD"])
    adjustment_add(agent=agent, amount_fen=1000, reason="补发", by=bare.users.sales)
    with pytest.raises(SettlementRefused, match="compute it again"):
        settlement_close(settlement=draft.settlement, by=bare.users.admin)
    march = settle(bare, MAR)
    assert lines(march) == [(None, "adjust", -5000, "产品佣金率录入错误，多发50元"),
                            (None, "adjust", 1000, "补发")]
    assert march.totals["adjusted"] == -4000 and march.totals["net"] == -4000
    assert lines(feb) == [("C1", "pay", 30_000, "")]  # the closed month is as it was


def test_a_voided_policy_leaves_the_draft_but_not_the_ledger(bare, tmp_path, travel):
    from pinzhi.core.voiding import void_fact

    travel("2026-03-25T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("V1", "ACC1", "300.00", "2026-02-02",
                                                     "2026-02-01")
         + policy_row("V2", "ACC1", "100.00", "2026-03-02", "2026-03-01"))
    feb = settle(bare, FEB)
    march = settle(bare, MAR, close=False)
    assert lines(march) == [("V2", "pay", 10_000, "")]
    void_fact(kind="policy", key="V2", reason="entered twice", by=bare.users.admin)
    void_fact(kind="policy", key="V1", reason="entered twice", by=bare.users.admin)
    march = settle(bare, MAR, close=False)
    assert lines(march) == []
    assert lines(feb) == [("V1", "pay", 30_000, "")]  # a correction is an adjustment


def test_late_data_about_the_19th_counts_when_it_arrives_before_the_draft(bare, tmp_path,
                                                                          travel):
    travel("2026-02-19T09:00")
    load(tmp_path, "policies", POLICIES + policy_row("N1", "TRAD10", "100.00", "2026-02-01",
                                                     "2026-02-01"))
    load(tmp_path, "receipts", "policy_no,collected_on\nN1,2026-02-05\n")
    travel("2026-02-22T09:00")  # the call centre's file of the 19th comes on the 22nd
    load(tmp_path, "callback_attempts", ATTEMPTS + "N1,1,2026-02-19T15:00:00,success,\n"
         "N1,1,2026-02-21T15:00:00,busy,\n")
    assert lines(settle(bare, FEB)) == [("N1", "pay", 10_000, "")]


def test_stored_states_stand_in_only_for_callbacks_that_ended_unchanged(bare, tmp_path,
                                                                       travel):
    """After an evaluation, a callback that ended before the cutoff is read from its stored
    state; one whose facts changed since (here: its success voided) is derived again."""
    from pinzhi.callbacks.evaluation import evaluate
    from pinzhi.core.voiding import void_fact
    from pinzhi.settlement import computing

    travel("2027-01-04T09:00")  # after the company's agents were recorded
    load(tmp_path, "policies", POLICIES + policy_row("S1", "ACC1", "100.00", "2026-02-02",
                                                     "2026-02-01")
         + policy_row("S2", "TRAD10", "200.00", "2026-02-02", "2026-02-01")
         + policy_row("S3", "TRAD10", "300.00", "2026-02-02", "2026-02-01"))
    load(tmp_path, "receipts", "policy_no,collected_on\nS2,2026-02-05\nS3,2026-02-05\n")
    load(tmp_path, "callback_attempts", ATTEMPTS + "S2,1,2026-02-13T10:00:00,success,\n"
         "S3,1,2026-02-13T10:00:00,success,\n")
    travel("2027-01-04T10:00")
    evaluate(as_of=dt.datetime(2027, 1, 4, 10, tzinfo=rules.SHANGHAI))
    travel("2027-01-04T11:00")
    void_fact(kind="callback_attempt", key="S3/1/2026-02-13T10:00:00+08:00",
              reason="recorded against the wrong policy", by=bare.users.admin)
    counts = {}
    got = sorted((i.policy_no, i.line.action, i.line.reasons)
                 for i in computing.month_lines(month=FEB, counts=counts))
    assert got == [("S1", "pay", ()), ("S2", "pay", ()),
                   ("S3", "withhold", ("callback_pending",))]
    assert counts == {"policies": 3, "derived": 1}  # S1 and S2 read from their stored states
