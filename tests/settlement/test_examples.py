"""Every settlement example of ../shared/spec/examples.md, from feed files to the export.

All the facts are loaded on 2026-06-01, after every one of them happened; then February
to May are computed and closed in order, each by a second person. Each month must see
only what happened before its cutoff (the 20th, 00:00), however much is recorded since.
"""

import csv
from decimal import Decimal

import pytest
from django.core.management import call_command

from pinzhi.settlement import rules
from pinzhi.settlement.models import Settlement
from pinzhi.settlement.services import settlement_close, settlement_compute

from .conftest import POLICIES, load, policy_row

ATTEMPTS = "policy_no,round,attempted_at,outcome,findings,phone_changed,method\n"


def load_examples(tmp_path):
    load(tmp_path, "policies", POLICIES + "".join([
        policy_row("E1", "TRAD10", "1200.00", "2026-03-02", "2026-03-01"),
        policy_row("E2", "TRAD10", "800.00", "2026-01-05", "2026-01-04"),
        policy_row("E3", "TRAD10", "600.00", "2026-02-02", "2026-02-01"),
        policy_row("E4", "TRAD10", "500.00", "2026-02-03", "2026-02-02"),
        policy_row("E5", "TRAD10", "900.00", "2026-01-20", "2026-01-19"),
        policy_row("E6", "TRAD10", "700.00", "2026-03-05", "2026-03-04",
                   status="cooling_off_cancelled", status_on="2026-03-15"),
        policy_row("E7", "TRAD10", "1000.00", "2026-03-02", "2026-03-01"),
        policy_row("E8", "TRAD10", "35.50", "2026-01-12", "2026-01-12"),
        policy_row("E9", "ACC1", "300.00", "2026-02-20", "2026-02-19"),
        policy_row("E10", "TRAD10", "450.00", "2026-03-01", "2026-02-28"),
        policy_row("E11", "TRAD10", "1000.00", "2026-02-07", "2026-02-06",
                   status="cooling_off_cancelled", status_on="2026-02-21"),
        policy_row("E12", "TRAD10", "650.00", "2026-02-23", "2026-02-22"),
    ]))
    load(tmp_path, "receipts", "policy_no,collected_on\n" + "".join(
        f"{no},{day}\n" for no, day in [
            ("E1", "2026-03-09"), ("E2", "2026-04-10"), ("E3", "2026-02-10"),
            ("E4", "2026-02-11"), ("E5", "2026-01-28"), ("E6", "2026-03-07"),
            ("E7", "2026-03-05"), ("E8", "2026-04-14"), ("E10", "2026-03-05"),
            ("E11", "2026-02-08"), ("E12", "2026-03-02")]))
    load(tmp_path, "contact_updates", "policy_no,updated_at,phone\n"
         "E3,2026-02-16T18:00:00,13922223333\n")
    load(tmp_path, "callback_attempts", ATTEMPTS + "".join(f"{row}\n" for row in [
        "E1,1,2026-03-12T10:30:00,success,,,",
        "E2,1,2026-01-15T15:00:00,success,,,",
        "E3,1,2026-02-12T09:40:00,no_answer,,,",
        "E3,1,2026-02-12T19:10:00,busy,,,",
        "E3,1,2026-02-13T14:00:00,powered_off,,,",
        "E3,2,2026-02-17T10:00:00,success,,,",
        "E4,1,2026-02-13T11:00:00,empty_number,,,",
        "E4,2,2026-02-24T10:00:00,refused_self,,,",
        "E4,manual,2026-03-20T10:00:00,success,,true,call",
        "E5,1,2026-01-30T11:00:00,wrong_number,,,",
        "E5,2,2026-02-10T11:00:00,suspended,,,",
        "E5,manual,2026-02-16T15:00:00,no_answer,,,call",
        "E7,1,2026-03-13T10:00:00,success,forged_signature,,",
        "E8,1,2026-01-23T10:38:00,busy,,,",
        "E8,1,2026-01-23T19:58:00,busy,,,",
        "E8,1,2026-01-25T14:04:00,not_present,,,",
        "E8,2,2026-02-06T11:47:00,refused_self,,,",
        "E8,manual,2026-02-09T15:00:00,success,,true,call",
        "E10,1,2026-03-11T09:30:00,no_answer,,,",
        "E10,1,2026-03-11T22:30:00,no_answer,,,",
        "E10,1,2026-03-12T19:00:00,busy,,,",
        "E10,1,2026-04-20T09:05:00,success,,,",
        "E11,1,2026-02-17T10:00:00,success,,,",
        "E12,1,2026-03-05T11:00:00,special_no_callback,,,",
        "E12,manual,2026-03-26T16:00:00,success,,,call",
    ]))


# (month, policy, action, amount, reasons): the examples' column "detail lines"
DETAIL = [
    ("2026-02", "E11", "pay", "1000.00", ""),
    ("2026-02", "E2", "withhold", "800.00", "receipt_missing"),
    ("2026-02", "E3", "pay", "600.00", ""),
    ("2026-02", "E4", "withhold", "500.00", "callback_pending"),
    ("2026-02", "E5", "forfeit", "900.00", ""),
    ("2026-02", "E8", "withhold", "35.50", "receipt_missing"),
    ("2026-03", "E1", "pay", "1200.00", ""),
    ("2026-03", "E10", "withhold", "450.00", "callback_pending"),
    ("2026-03", "E11", "recover", "1000.00", ""),
    ("2026-03", "E12", "withhold", "650.00", "callback_awaiting_manual"),
    ("2026-03", "E2", "withhold", "800.00", "receipt_missing"),
    ("2026-03", "E4", "withhold", "500.00", "callback_awaiting_manual"),
    ("2026-03", "E6", "cancel", "700.00", ""),
    ("2026-03", "E7", "withhold", "1000.00", "finding_open"),
    ("2026-03", "E8", "withhold", "35.50", "receipt_missing"),
    ("2026-03", "E9", "pay", "300.00", ""),
    ("2026-04", "E10", "withhold", "450.00", "callback_pending"),
    ("2026-04", "E12", "pay", "650.00", ""),
    ("2026-04", "E2", "pay", "800.00", ""),
    ("2026-04", "E2", "deduct", "20.00", "receipt_late"),
    ("2026-04", "E4", "pay", "500.00", ""),
    ("2026-04", "E4", "deduct", "40.00", "phone_changed"),
    ("2026-04", "E7", "withhold", "1000.00", "finding_open"),
    ("2026-04", "E8", "pay", "35.50", ""),
    ("2026-04", "E8", "deduct", "20.00", "receipt_late"),
    ("2026-04", "E8", "deduct", "15.50", "phone_changed"),
    ("2026-05", "E10", "pay", "450.00", ""),
    ("2026-05", "E7", "withhold", "1000.00", "finding_open"),
]

# month: accrued, paid, deducted, recovered, adjusted, forfeited, cancelled, withheld, net
SUMMARY = {
    "2026-02": "3835.50 1600.00 0.00 0.00 0.00 900.00 0.00 1335.50 1600.00",
    "2026-03": "4300.00 1500.00 0.00 1000.00 0.00 0.00 700.00 3435.50 500.00",
    "2026-04": "0.00 1985.50 95.50 0.00 0.00 0.00 0.00 1450.00 1890.00",
    "2026-05": "0.00 450.00 0.00 0.00 0.00 0.00 0.00 1000.00 450.00",
}
MONTHS = list(SUMMARY)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def examples(bare, tmp_path, travel):
    travel("2026-06-01T09:00")
    load_examples(tmp_path)
    return bare


def test_the_examples_month_by_month(examples, tmp_path):
    users = examples.users
    for label in MONTHS:
        computed = settlement_compute(month=rules.parse_month(label),
                                      unit=examples.units["GD"], by=users.sales)
        settlement_close(settlement=computed.settlement, by=users.admin)
    detail = []
    for label in MONTHS:
        out = tmp_path / f"detail-{label}.csv"
        call_command("export", "settlement", label, "--detail", "--out", str(out))
        detail += [(r["month"], r["policy_no"], r["action"], r["amount"], r["reasons"])
                   for r in read(out) if r["agent_code"] == "A001"]
        out = tmp_path / f"summary-{label}.csv"
        call_command("export", "settlement", label, "--out", str(out))
        (row,) = read(out)
        assert (row["agent_code"], row["agent_name"], row["unit_code"]) == ("A001", "张伟",
                                                                            "T1")
        assert " ".join(row[c] for c in rules.COLUMNS) == SUMMARY[label], label
    assert detail == DETAIL


def test_the_summary_reconciles_over_the_months(examples):
    """Every fen that entered is paid, forfeited, cancelled or still withheld."""
    users = examples.users
    totals = []
    for label in MONTHS:
        computed = settlement_compute(month=rules.parse_month(label), by=None)
        settlement_close(settlement=computed.settlement, by=users.admin)
        totals.append(computed.settlement.totals)
    entered = sum(t["accrued"] for t in totals)
    resolved = sum(t["paid"] + t["forfeited"] + t["cancelled"] for t in totals)
    assert entered == resolved + totals[-1]["withheld"]
    assert Decimal(entered) / 100 == Decimal("8135.50")
    assert [s.status for s in Settlement.objects.order_by("month")] == ["closed"] * 4
