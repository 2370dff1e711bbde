"""A policy counts for the team its agent was in on the printed date (rules §8.1): the
agents feed records each move (org.history); before it the agent was in the old team."""

import datetime as dt

import pytest

from pinzhi.org.history import TeamHistory, team_on
from pinzhi.reports import indicators as ind
from pinzhi.reports import snapshot
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI
from tests.settlement.conftest import load

D = dt.date
MOVES = [(D(2026, 1, 6), "/T1/"), (D(2026, 3, 1), "/T2/")]  # T1 → T2 → T3 (now)


@pytest.mark.parametrize(("day", "team"), [
    (D(2025, 12, 31), "/T1/"),
    (D(2026, 1, 5), "/T1/"),  # the day before the first move
    (D(2026, 1, 6), "/T2/"),  # a move takes effect on its day
    (D(2026, 2, 28), "/T2/"),
    (D(2026, 3, 1), "/T3/"),
    (D(2027, 1, 1), "/T3/"),
])
def test_the_team_on_a_day(day, team):
    assert team_on(MOVES, "/T3/", day) == team


def test_an_agent_who_never_moved_is_in_his_team():
    assert team_on([], "/T3/", D(2020, 1, 1)) == "/T3/"


def test_a_move_by_the_agents_feed(january, tmp_path, travel):
    """A001 (T1, policies J1 and J2 printed 01-05 and 01-06) moves to T2 by the feed of
    2026-01-06: J1 stays T1's, J2 is T2's; his own figures go with him."""
    a001 = january.agents["A001"]
    travel("2026-01-06T08:00")
    load(tmp_path, "agents", "agent_code,name,id_number,phone,unit_code,rank,hired_on\n"
         f"A001,{a001.name},{a001.id_number},{a001.phone},T2,{a001.rank},"
         f"{a001.hired_on.isoformat()}\n")
    history = TeamHistory()
    t1, t2 = january.units["T1"].path, january.units["T2"].path
    assert history.moves == {a001.pk: [(D(2026, 1, 6), t1)]}
    assert history.path_on(a001.pk, t2, D(2026, 1, 5)) == t1
    travel("2026-06-01T09:00")
    as_of = dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI)
    jan = ind.Period(D(2026, 1, 1), D(2026, 1, 31))
    teams = tallies(jan, as_of)
    first, second = unit_tally(t1, teams), unit_tally(t2, teams)
    assert (first.policies, first.premium_fen, first.satisfaction_answers) == (1, 100_000, 1)
    assert (second.policies, second.premium_fen) == (2, 500_000)  # J2, and T2's own J3
    assert (first.agents, second.agents) == (1, 2)  # A001 is T2's on 31 January
    snap = snapshot.refresh(as_of)
    months = [D(2026, 1, 1)]
    stored = snapshot.month_figures(snap, months, units=[january.units["T1"].pk,
                                                         january.units["T2"].pk])
    assert snapshot.over(stored, january.units["T1"].pk, months) == first
    assert snapshot.over(stored, january.units["T2"].pk, months) == second
    own = snapshot.month_figures(snap, months, team=january.units["T2"].pk)
    assert snapshot.over(own, a001.pk, months).policies == 1  # J2, his while in T2
