"""The dashboards' precomputed figures: made by the same rules as the figures computed on
request, equal to them for every unit, agent and period of whole months; a whole, as of
one moment; never replaced by an earlier moment; a dead run's half never read."""

import datetime as dt
from io import StringIO

import pytest

from pinzhi.org.models import Agent, Unit
from pinzhi.reports import indicators as ind
from pinzhi.reports import snapshot
from pinzhi.reports.models import FigureSnapshot, MonthFigures
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI

AS_OF = dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def assert_equal_to_computed(snap, periods, as_of):
    units = list(Unit.objects.values_list("id", "path"))
    for first, last in periods:
        period = ind.Period(first, last)
        months = ind.months_of(period)
        teams = tallies(period, as_of)
        stored = snapshot.month_figures(snap, months, units=[pk for pk, _ in units])
        for pk, path in units:
            assert snapshot.over(stored, pk, months) == unit_tally(path, teams), (path, period)
        agents = tallies(period, as_of, by="agent")
        for team in Unit.objects.filter(level="team"):
            stored = snapshot.month_figures(snap, months, team=team.pk)
            for agent in Agent.objects.filter(team=team):
                assert snapshot.over(stored, agent.pk, months) == agents.get(
                    agent.pk, ind.Tally()), (agent.code, period)


def test_the_snapshot_equals_the_figures_computed_on_request(january, travel):
    travel("2026-06-01T09:00")
    snap = snapshot.refresh(AS_OF)
    assert (snap.first_month, snap.last_month) == (dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    assert snap.finished_at is not None and snap.rows == MonthFigures.objects.count() > 0
    assert_equal_to_computed(snap, [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31)), (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    ], AS_OF)


def test_with_cases_and_closed_settlements(spring):
    """The examples' company, with cases and three closed months: points priced per
    half-year and the ledger's withheld, deducted and forfeited land in their months."""
    company = spring
    snap = snapshot.refresh(AS_OF)
    a001 = company.agents["A001"]
    spring = [dt.date(2026, m, 1) for m in (2, 3, 4)]
    stored = snapshot.month_figures(snap, spring, team=a001.team_id)
    figures = snapshot.over(stored, a001.pk, spring)
    assert (figures.cases, figures.points, figures.withheld_fen, figures.deducted_fen,
            figures.forfeited_fen) == (3, 2.5, 145_000, 9_550, 90_000)  # as test_reading's
    assert_equal_to_computed(snap, [
        (dt.date(2026, 2, 1), dt.date(2026, 4, 30)), (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30))], AS_OF)


def test_an_earlier_moment_never_replaces_a_later_one(january, travel):
    travel("2026-06-01T09:00")
    later = snapshot.refresh(AS_OF)
    assert snapshot.refresh(at("2026-05-01T09:00")) is None
    assert snapshot.latest() == later
    newer = snapshot.refresh(at("2026-06-01T10:00"))
    assert list(FigureSnapshot.objects.all()) == [newer]  # the older one and its rows go
    assert MonthFigures.objects.exclude(snapshot=newer).count() == 0


def test_a_dead_runs_snapshot_is_never_read(january, travel):
    travel("2026-06-01T06:00")
    dead = FigureSnapshot.objects.create(as_of=at("2026-06-01T06:00"),
                                         first_month=dt.date(2026, 1, 1),
                                         last_month=dt.date(2026, 6, 1))
    travel("2026-06-01T09:00")
    done = snapshot.refresh(at("2026-06-01T08:00"))
    running = FigureSnapshot.objects.create(as_of=at("2026-06-01T08:30"),
                                            first_month=dt.date(2026, 1, 1),
                                            last_month=dt.date(2026, 6, 1))
    assert snapshot.latest() == done
    assert snapshot.current() == done
    assert not FigureSnapshot.objects.filter(pk=dead.pk).exists()  # three hours unfinished
    newest = snapshot.refresh(AS_OF)
    # the earlier finished one goes; a run still writing beside it is left to finish
    assert set(FigureSnapshot.objects.all()) == {newest, running}


def test_a_new_install_gets_its_first_snapshot_when_asked(january, travel):
    travel("2026-06-01T09:00")
    assert snapshot.latest() is None
    first = snapshot.current()
    assert first.finished_at is not None and snapshot.current() == first


@pytest.mark.parametrize(("path", "prefixes"), [
    ("/HQ/", ["/HQ/"]),
    ("/HQ/GD/GZ/", ["/HQ/", "/HQ/GD/", "/HQ/GD/GZ/"]),
])
def test_a_units_rows_add_up_to_each_of_its_ancestors(path, prefixes):
    from pinzhi.core.versions import path_prefixes

    assert path_prefixes(path) == prefixes


def test_the_scheduled_evaluate_makes_the_figures(january, travel):
    from django.core.management import call_command

    travel("2026-06-01T09:00")
    out = StringIO()
    call_command("evaluate", "--as-of", "2026-06-01T08:00:00", stdout=out)
    assert "indicators: " in out.getvalue() and snapshot.latest().as_of == at("2026-06-01T08:00")
    call_command("evaluate", "--as-of", "2026-05-01T08:00:00", stdout=out)
    assert "kept the figures as of 2026-06-01T00:00:00+00:00 (later)" in out.getvalue()
    call_command("evaluate", "--no-figures", stdout=out)
    assert snapshot.latest().as_of == at("2026-06-01T08:00")
    call_command("evaluate", "--as-of", "2026-06-01T08:59:00", stdout=out)
    assert "are recent (PINZHI_FIGURES_EVERY)" in out.getvalue()  # 59 minutes old
    call_command("evaluate", "--as-of", "2026-06-01T09:00:00", stdout=out)
    assert snapshot.latest().as_of == at("2026-06-01T09:00")  # an hour: made again
