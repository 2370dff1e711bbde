"""The `receipt_not_returned` case (rules §5, §7.2): recorded by `pinzhi evaluate` the day
after the deadline, once; voided when a collection within the deadline is recorded."""

import datetime as dt

from pinzhi.core.evaluating import evaluate_all
from pinzhi.core.models import Event
from pinzhi.core.voiding import void_fact
from pinzhi.policies.models import PolicyStatus
from pinzhi.receipts.evaluation import receipts_evaluate
from pinzhi.receipts.models import Receipt
from pinzhi.receipts.services import receipt_register
from tests.factories import make_policy

from .conftest import rule_cases

D = dt.date


def test_a002_never_collected_case_on_the_day_after_the_deadline_once(a002):
    assert receipts_evaluate(as_of=D(2026, 4, 30)).recorded == 0
    assert not rule_cases("R1").exists()
    first = receipts_evaluate(as_of=D(2026, 5, 1))
    assert first.recorded == 1
    case = rule_cases("R1").get()
    assert (case.occurred_on, case.agent.code, case.status) == (D(2026, 5, 1), "A002",
                                                                "confirmed")
    assert case.rule_key == "receipts.not_returned:R1"
    assert case.version.points_tenths == 10
    events = Event.objects.count()
    again = receipts_evaluate(as_of=D(2026, 5, 1))
    later = receipts_evaluate(as_of=D(2026, 6, 1))  # the company's P1, P3: 06-02
    assert (again.recorded, again.voided, later.recorded) == (0, 0, 0)
    assert Event.objects.count() == events  # the same moment twice changes nothing
    assert rule_cases("R1", live=False).count() == 1


def test_collected_on_the_deadline_is_on_time_the_day_after_is_late(company):
    on_time = make_policy("R2", company.agents["A001"], company.products["TRAD10"],
                          effective_on=D(2026, 1, 31))
    late = make_policy("R3", company.agents["A001"], company.products["TRAD10"],
                       effective_on=D(2026, 1, 31))
    registered = receipt_register(policy=on_time, collected_on=D(2026, 4, 30), by=None)
    assert (registered.late, registered.deduction_fen) == (False, 0)
    registered = receipt_register(policy=late, collected_on=D(2026, 5, 1), by=None)
    assert (registered.late, registered.deduction_fen) == (True, 2000)
    receipts_evaluate(as_of=D(2026, 6, 1))
    assert not rule_cases("R2").exists()
    # [reading] both sanctions: the late receipt costs the point as well
    assert rule_cases("R3").get().occurred_on == D(2026, 5, 1)


def test_no_case_for_short_term_or_cooling_off_cancelled(company):
    make_policy("R4", company.agents["A001"], company.products["ACC1"],
                effective_on=D(2026, 1, 31))
    make_policy("R5", company.agents["A001"], company.products["TRAD10"],
                effective_on=D(2026, 1, 31), status=PolicyStatus.COOLING_OFF_CANCELLED,
                status_on=D(2026, 2, 5))
    receipts_evaluate(as_of=D(2026, 6, 1))
    assert not rule_cases("R4").exists() and not rule_cases("R5").exists()


def test_a_collection_within_the_deadline_recorded_later_voids_the_case(a002):
    receipts_evaluate(as_of=D(2026, 5, 1))
    assert rule_cases("R1").exists()
    receipt_register(policy=a002, collected_on=D(2026, 4, 28), by=None)
    assert not rule_cases("R1").exists()
    assert rule_cases("R1", live=False).get().void_reason == (
        "the receipt was collected by the deadline")


def test_voiding_an_on_time_receipt_brings_the_case(a002, company):
    receipt_register(policy=a002, collected_on=D(2026, 4, 28), by=None)
    receipts_evaluate(as_of=D(2026, 5, 1))
    assert not rule_cases("R1").exists()
    void_fact(kind="receipt", key="R1", reason="scanned the wrong policy",
              by=company.users.clerk)
    assert Receipt.objects.get(policy=a002).is_voided
    assert rule_cases("R1").get().occurred_on == D(2026, 5, 1)
    assert Event.objects.filter(action="receipt.voided", key="R1").exists()


def test_voiding_the_policy_voids_its_case(a002):
    receipts_evaluate(as_of=D(2026, 5, 1))
    void_fact(kind="policy", key="R1", reason="entered twice")
    assert not rule_cases("R1").exists()


def test_pinzhi_evaluate_runs_the_receipts(a002):
    lines = evaluate_all(dt.datetime(2026, 5, 1, 0, 0, tzinfo=dt.UTC))  # 08:00 in Shanghai
    assert any(line.startswith("receipts: ") and "1 cases recorded" in line
               for line in lines)
    assert rule_cases("R1").exists()


def test_the_deadline_is_a_versioned_parameter(company):
    from pinzhi.core.models import Parameter
    from pinzhi.receipts.evaluation import params_on

    assert params_on(dt.date(2026, 5, 1)).deadline_months == 3
    Parameter.objects.create(key="receipts.deadline_months", valid_from=dt.date(2026, 6, 1),
                             value=2)
    assert params_on(dt.date(2026, 5, 31)).deadline_months == 3
    assert params_on(dt.date(2026, 6, 1)).deadline_months == 2
