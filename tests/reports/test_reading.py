"""The indicators from the database: a small hand-built company, tallied by team and
summed up the tree; a unit with no policies has empty rates, never 0 or an error."""

import datetime as dt
from decimal import Decimal

import pytest

from pinzhi.reports import indicators as ind
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI

JAN = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
AS_OF = dt.datetime(2026, 6, 1, tzinfo=SHANGHAI)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_units_sum_their_teams_and_an_empty_unit_has_no_rates(january):
    teams = tallies(JAN, AS_OF)
    u = january.units
    t1, t2 = unit_tally(u["T1"].path, teams), unit_tally(u["T2"].path, teams)
    assert (t1.policies, t1.premium_fen, t1.callbacks_due, t1.callbacks_succeeded) == (
        2, 300_000, 2, 1)
    assert t1.callback_first_round_rate == Decimal("0.5") and t1.satisfaction == Decimal("5")
    assert (t2.policies, t2.callbacks_due, t2.callbacks_first_round,
            t2.callbacks_succeeded) == (1, 1, 0, 1)
    assert t2.persistency_13m == Decimal("1") and t2.cohort_premium_fen == 500_000
    gz = unit_tally(u["GZ"].path, teams)
    assert gz == t1 + t2 and gz.callback_success_rate == Decimal("0.6667")  # J2 unreached
    assert gz.satisfaction == Decimal("4.50")
    sz = unit_tally(u["SZ"].path, teams)
    assert sz == ind.Tally(agents=1)  # A004, and nothing else
    assert sz.callback_success_rate is None and sz.persistency_13m is None
    assert sz.satisfaction is None and sz.points_per_100_agents == Decimal("0.00")
    assert (t1.agents, t2.agents) == (2, 1)
    assert unit_tally(u["HQ"].path, teams) == gz + sz


def test_an_earlier_moment_sees_less(january):
    teams = tallies(JAN, at("2026-01-19T12:00"))
    t2 = unit_tally(january.units["T2"].path, teams)
    assert (t2.callbacks_due, t2.callbacks_succeeded) == (1, 0)  # its success came on 01-28
    assert t2.persistency_13m == Decimal("0")  # the renewal was paid on 01-20, later


def test_by_agent(january):
    agents = tallies(JAN, AS_OF, by="agent")
    assert agents[january.agents["A001"].pk].policies == 2
    assert agents[january.agents["A003"].pk].satisfaction == Decimal("4")


def test_cases_points_and_the_closed_settlements(bare, tmp_path, travel):
    """Counting cases and their points in the period; withheld at the last cutoff in it,
    deducted and forfeited over its closed months (the examples' company)."""
    from pinzhi.settlement.rules import parse_month
    from pinzhi.settlement.services import settlement_close, settlement_compute
    from tests.settlement.conftest import load
    from tests.settlement.test_examples import load_examples

    travel("2026-06-01T09:00")
    load_examples(tmp_path)
    load(tmp_path, "cases", "case_no,agent_code,violation_code,occurred_on,status\n"
         "K1,A001,claim_noncooperation,2026-03-10,confirmed\n"
         "K2,A001,benefit_promised,2026-05-02,confirmed\n"
         "K3,A001,benefit_promised,2026-03-11,draft\n")
    for label in ("2026-02", "2026-03", "2026-04"):
        computed = settlement_compute(month=parse_month(label), by=bare.users.sales,
                                      unit=bare.units["GD"])
        settlement_close(settlement=computed.settlement, by=bare.users.admin)
    spring = ind.Period(dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    a001 = tallies(spring, at("2026-06-01T09:00"), by="agent")[bare.agents["A001"].pk]
    # K1, and the receipts of E2 (deadline 04-04) and E8 (04-12) not back in time, one
    # point each; K2 is May's and K3 a draft.
    assert (a001.cases, a001.points) == (3, Decimal("2.5"))
    assert (a001.withheld_fen, a001.deducted_fen, a001.forfeited_fen) == (
        145_000, 9_550, 90_000)  # April's withheld; March+April deducted; February forfeit
    march = tallies(ind.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
                    at("2026-06-01T09:00"), by="agent")[bare.agents["A001"].pk]
    assert (march.withheld_fen, march.deducted_fen, march.forfeited_fen) == (343_550, 0, 0)


@pytest.fixture
def bare(company):
    from pinzhi.policies.models import Policy

    Policy.objects.update(voided_at=at("2026-01-01T00:00"))
    return company


def test_one_agents_tally_is_his_row_of_every_agents(january):
    everyone = tallies(JAN, AS_OF, by="agent")
    for code in ("A001", "A003", "A004"):
        pk = january.agents[code].pk
        alone = tallies(JAN, AS_OF, by="agent", agent_id=pk)
        assert set(alone) <= {pk} and alone.get(pk, ind.Tally()) == everyone.get(pk, ind.Tally())
