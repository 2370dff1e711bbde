"""Rank decisions (issue 8): refused when the feed does not allow them, before the
half-year ended, twice, or by a role that may not decide; the rank changed and the
events written; the bulk service equals the one-by-one decisions on the same data."""

import pytest

from pinzhi.assessments.models import RankDecision
from pinzhi.assessments.services import (
    AssessmentRefused,
    rank_decide,
    rank_decide_as_recommended,
)
from pinzhi.core.models import Event
from pinzhi.org.history import TeamHistory
from pinzhi.org.models import Agent

from .conftest import rank_of

pytestmark = pytest.mark.django_db


def decide(company, code, outcome, by="sales", period="2026H1"):
    return rank_decide(agent=company.agents[code], period=period, outcome=outcome,
                       note="半年考核", by=getattr(company.users, by))


def test_a_promotion_changes_the_rank_and_is_logged(assessed):
    decision = decide(assessed, "A004", "promote")
    assert (decision.from_rank, decision.to_rank, decision.recommended, decision.standing,
            str(decision.decided_on), decision.by.username) == (
        "业务员", "业务主任", "promote", "good", "2026-07-10", "sales")
    assert rank_of("A004") == "业务主任"
    events = Event.objects.filter(kind="agent", key="A004").order_by("id")
    assert [(e.action, e.data) for e in events] == [
        ("assessments.decided", {"period": "2026H1", "outcome": "promote",
                                 "recommended": "promote", "from_rank": "业务员",
                                 "to_rank": "业务主任"}),
        ("agent.updated", {"changes": {"rank": ["业务员", "业务主任"]}})]
    assert TeamHistory().moves == {}  # a rank's change is no move of team


def test_eligible_yet_kept_by_hr(assessed):
    decision = decide(assessed, "A002", "maintain")
    assert (decision.outcome, decision.recommended, decision.to_rank) == (
        "maintain", "promote", "业务经理")
    assert rank_of("A002") == "业务经理"
    assert not Event.objects.filter(key="A002", action="agent.updated").exists()


@pytest.mark.parametrize("code, outcome, why", [
    ("A001", "promote", "not allowed for agent A001"),  # failed: not eligible
    ("A001", "maintain", "not allowed for agent A001"),  # failed: maintenance lost
    ("A003", "maintain", "not allowed for agent A003"),  # termination
    ("A004", "demote", "has no rank beyond it"),  # 业务员 is the lowest
    ("A004", "fire", "is not one of"),
])
def test_what_the_feed_does_not_allow_is_refused(assessed, code, outcome, why):
    with pytest.raises(AssessmentRefused, match=why):
        decide(assessed, code, outcome)
    assert not RankDecision.objects.exists() and rank_of(code) == assessed.agents[code].rank


def test_the_outcomes_the_feed_leaves_open(assessed):
    assert decide(assessed, "A001", "demote").to_rank == "业务员"
    assert decide(assessed, "A003", "termination_review").to_rank == "业务主任"
    assert (rank_of("A001"), rank_of("A003")) == ("业务员", "业务主任")


def test_refused_before_the_half_year_ended_twice_or_by_others(assessed, travel):
    with pytest.raises(AssessmentRefused, match="2026H2 has not ended"):
        decide(assessed, "A004", "promote", period="2026H2")
    with pytest.raises(AssessmentRefused, match="not a half-year"):
        decide(assessed, "A004", "promote", period="2026Q1")
    with pytest.raises(AssessmentRefused, match="may not decide ranks"):
        decide(assessed, "A004", "promote", by="officer")
    with pytest.raises(AssessmentRefused, match="may not decide ranks"):
        decide(assessed, "A002", "promote", by="manager")
    decide(assessed, "A004", "promote")
    with pytest.raises(AssessmentRefused, match="decided already"):
        decide(assessed, "A004", "maintain")
    assert RankDecision.objects.count() == 1 and rank_of("A004") == "业务主任"
    travel("2026-06-30T18:00")  # its last day is still in the half-year
    with pytest.raises(AssessmentRefused, match="has not ended"):
        decide(assessed, "A002", "promote")


def test_an_agent_outside_the_scope_or_the_catalogue(assessed, django_user_model):
    from pinzhi.accounts.models import Role

    sales_gz = django_user_model.objects.create(username="sales_gz", role=Role.SALES_ADMIN,
                                                unit=assessed.units["GZ"])
    with pytest.raises(AssessmentRefused, match="not an agent of 2026H1 in sales_gz"):
        rank_decide(agent=assessed.agents["A004"], period="2026H1", outcome="promote",
                    by=sales_gz)
    Agent.objects.filter(code="A004").update(rank="见习业务员")
    with pytest.raises(AssessmentRefused, match="not in the catalogue"):
        decide(assessed, "A004", "maintain")


def state():
    decisions = sorted((d.agent.code, d.period, d.from_rank, d.to_rank, d.outcome,
                        d.recommended, d.standing, d.promotion_eligible,
                        d.maintenance_passed, d.decided_on, d.by_id)
                       for d in RankDecision.objects.select_related("agent"))
    events = sorted((e.action, e.kind, e.key, repr(e.data), e.actor_id)
                    for e in Event.objects.filter(kind="agent"))
    return decisions, events, dict(Agent.objects.values_list("code", "rank"))


def test_the_bulk_equals_the_decisions_one_by_one(assessed):
    from django.db import transaction

    class Undo(Exception):
        pass

    one_by_one = None
    try:
        with transaction.atomic():
            for code, outcome in (("A001", "demote"), ("A002", "promote"),
                                  ("A003", "termination_review"), ("A004", "promote")):
                decide(assessed, code, outcome)
            one_by_one = state()
            raise Undo
    except Undo:
        pass
    assert not RankDecision.objects.exists()
    done = rank_decide_as_recommended(agents=assessed.units["GD"], period="2026H1",
                                      by=assessed.users.sales)
    assert state() == one_by_one
    assert (done.count, dict(done.by_outcome)) == (
        4, {"demote": 1, "promote": 2, "termination_review": 1})
    again = rank_decide_as_recommended(agents=Agent.objects.all(), period="2026H1",
                                       by=assessed.users.sales)
    assert again.count == 0 and RankDecision.objects.count() == 4


def test_the_bulk_keeps_to_its_scope_and_skips_unknown_ranks(assessed):
    decide(assessed, "A002", "maintain")
    Agent.objects.filter(code="A003").update(rank="见习业务员")
    done = rank_decide_as_recommended(agents=assessed.units["GZ"], period="2026H1",
                                      by=assessed.users.sales)
    assert (done.count, done.skipped) == (1, ["A003"])
    assert str(done) == "1 decided as recommended (1 demote); 1 skipped (rank not in the " \
                        "catalogue)"
    assert sorted(RankDecision.objects.values_list("agent__code", "outcome")) == [
        ("A001", "demote"), ("A002", "maintain")]  # A002's own decision stands
    with pytest.raises(AssessmentRefused, match="may not decide ranks"):
        rank_decide_as_recommended(agents=assessed.units["GZ"], period="2026H1",
                                   by=assessed.users.manager)
    with pytest.raises(AssessmentRefused, match="has not ended"):
        rank_decide_as_recommended(agents=assessed.units["GZ"], period="2026H2",
                                   by=assessed.users.sales)


def test_an_agent_who_has_left_is_not_assessed(assessed):
    """[reading] He was active in the half-year, but gone by the decision: nobody's rank
    to decide; the bulk passes him over."""
    Agent.objects.filter(code="A004").update(status=Agent.Status.TERMINATED,
                                             left_on="2026-07-05")
    with pytest.raises(AssessmentRefused, match="not an agent of 2026H1"):
        decide(assessed, "A004", "promote")
    rank_decide_as_recommended(agents=assessed.units["SZ"], period="2026H1",
                               by=assessed.users.hq)
    assert not RankDecision.objects.filter(agent__code="A004").exists()
