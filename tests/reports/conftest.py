"""A small hand-built January for the indicators."""

import datetime as dt

import pytest
import time_machine

from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.models import CallbackAttempt
from pinzhi.receipts.models import Receipt
from pinzhi.reports.models import Renewal
from pinzhi.settlement.rules import SHANGHAI
from tests.factories import make_policy


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def january(company):
    """T1: two policies printed in January, one called back in round 1 (satisfaction 5),
    one not reached; T2: one whose round 1 failed and round 2 succeeded (satisfaction 4),
    and one of the 2025 cohort whose renewal was paid in time; SZ: nothing."""
    a1, a3 = company.agents["A001"], company.agents["A003"]
    trad = company.products["TRAD10"]
    with time_machine.travel(at("2026-06-01T09:00"), tick=False):
        from pinzhi.policies.models import Policy

        Policy.objects.update(voided_at=at("2026-06-01T09:00"))  # the factories' own
        p1 = make_policy("J1", a1, trad, applicant_phone="13911110001",
                         printed_on=dt.date(2026, 1, 5), effective_on=dt.date(2026, 1, 4),
                         signed_on=dt.date(2026, 1, 1), premium_fen=100_000,
                         commission_fen=10_000)
        make_policy("J2", a1, trad, applicant_phone="13911110002",
                    printed_on=dt.date(2026, 1, 6), effective_on=dt.date(2026, 1, 5),
                    signed_on=dt.date(2026, 1, 1), premium_fen=200_000, commission_fen=20_000)
        p3 = make_policy("J3", a3, trad, applicant_phone="13911110003",
                         printed_on=dt.date(2026, 1, 7), effective_on=dt.date(2026, 1, 6),
                         signed_on=dt.date(2026, 1, 1), premium_fen=300_000,
                         commission_fen=30_000)
        old = make_policy("C1", a3, trad, applicant_phone="13911110004",
                          printed_on=dt.date(2025, 1, 12), effective_on=dt.date(2025, 1, 10),
                          signed_on=dt.date(2025, 1, 8), premium_fen=500_000)
        CallbackAttempt.objects.create(policy=p1, round="1", attempted_at=at("2026-01-15T10:00"),
                                       outcome="success", satisfaction=5)
        for when in ("2026-01-17T10:00", "2026-01-17T19:00", "2026-01-18T14:00"):
            CallbackAttempt.objects.create(policy=p3, round="1", attempted_at=at(when),
                                           outcome="no_answer")
        CallbackAttempt.objects.create(policy=p3, round="2", attempted_at=at("2026-01-28T10:00"),
                                       outcome="success", satisfaction=4)
        Receipt.objects.create(policy=old, collected_on=dt.date(2025, 2, 1))
        Renewal.objects.create(policy=old, due_on=dt.date(2026, 1, 10), amount_fen=500_000,
                               paid_on=dt.date(2026, 1, 20))
        evaluate(as_of=at("2026-06-01T09:00"))
    return company


@pytest.fixture
def spring(company, tmp_path, travel):
    """The examples' company (tests/settlement), with three cases of A001 (K3 a draft)
    and February to April settled and closed; the clock at 2026-06-01 09:00."""
    from pinzhi.policies.models import Policy
    from pinzhi.settlement.rules import parse_month
    from pinzhi.settlement.services import settlement_close, settlement_compute
    from tests.settlement.conftest import load
    from tests.settlement.test_examples import load_examples

    Policy.objects.update(voided_at=at("2026-01-01T00:00"))
    travel("2026-06-01T09:00")
    load_examples(tmp_path)
    load(tmp_path, "cases", "case_no,agent_code,violation_code,occurred_on,status\n"
         "K1,A001,claim_noncooperation,2026-03-10,confirmed\n"
         "K2,A001,benefit_promised,2026-05-02,confirmed\n"
         "K3,A001,benefit_promised,2026-03-11,draft\n")
    for label in ("2026-02", "2026-03", "2026-04"):
        computed = settlement_compute(month=parse_month(label), by=company.users.sales,
                                      unit=company.units["GD"])
        settlement_close(settlement=computed.settlement, by=company.users.admin)
    return company
