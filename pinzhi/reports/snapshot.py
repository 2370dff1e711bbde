"""The precomputed figures of the dashboards: every unit's and every agent's tally of each
calendar month, as of one moment, kept in a snapshot (models.FigureSnapshot).

How they stay correct:
- They are made by the same rules as every other figure: `monthly_tallies` streams the
  same rows (reading.policy_facts, answers, cases, ledger) into the same pure
  `indicators.add_policy` for each month a policy concerns, and a period of whole months
  is `indicators.over_months` of its months (a test holds it equal to `reading.tallies`).
- A snapshot is a whole, as of one moment, and says which: the scheduled `pinzhi
  evaluate` makes a new one after moving the rules to its moment, so the figures follow
  the facts the schedule sees (a success, a failed round, a late receipt), and the pages
  say "as of". A run writes its rows under a new snapshot and marks it finished last;
  pages read the latest finished one, so a run that dies leaves the previous one shown.
- A snapshot older than a later one is removed once the later one is finished, and an
  unfinished one once it is two hours old (its run died); two runs at once both finish.
  An earlier moment (`evaluate --as-of` in the past) never replaces a later one.
"""

import datetime as dt
import time
from collections import defaultdict
from dataclasses import fields

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pinzhi.callbacks.reading import day, moment
from pinzhi.core.bulk import write_rows
from pinzhi.core.calendar import local_day
from pinzhi.core.versions import path_prefixes
from pinzhi.org.history import TeamHistory
from pinzhi.org.models import Unit
from pinzhi.policies.models import Policy

from . import indicators as ind
from .models import FigureSnapshot, MonthFigures
from .reading import add_agent_figures, add_dated_figures, agent_teams, answers, policy_facts

PARTS = tuple(f.name for f in fields(ind.Tally))
MAX_MONTHS = 36  # the dashboards' reach: three years back from the snapshot's month
BATCH = 10_000
STALE_AFTER = dt.timedelta(hours=26)
ABANDONED_AFTER = dt.timedelta(hours=2)  # an unfinished run this old died


def monthly_tallies(months: list[dt.date], as_of: dt.datetime, *,
                    agent_id: int | None = None
                    ) -> dict[tuple[dt.date, int, str], ind.Tally]:
    """{(month, agent id, team path): tally} of every agent (or one) for consecutive
    `months` (their first days), as of `as_of`: each part under the team of the day
    `reading.tallies` takes (a policy's printed day, for its answers too, else the
    month's last day), so an agent who moved has a tally in each of his teams."""
    periods = {m: ind.month_period(m) for m in months}
    window = ind.Period(months[0], periods[months[-1]].last)
    history = TeamHistory()
    result: dict[tuple[dt.date, int, str], ind.Tally] = defaultdict(ind.Tally)
    for row, facts in policy_facts(window, agent_id):
        path = history.path_on(row[1], row[2], facts.printed_on)
        for month in ind.concerned_months(facts):
            if month in periods:
                ind.add_policy(result[month, row[1], path], facts, periods[month], as_of)
    for pk, path, printed, satisfaction, at in answers(window, as_of, agent_id=agent_id):
        ind.add_answer(result[moment(at).astimezone(ind.SHANGHAI).date().replace(day=1), pk,
                              history.path_on(pk, path, day(printed))], satisfaction)

    def dated(pk: int | None, path: str, on: dt.date) -> tuple[dt.date, int | None, str]:
        return on.replace(day=1), pk, history.path_on(pk, path, on)

    add_dated_figures(result, window, as_of, dated, agent_id=agent_id)
    teams = agent_teams(agent_id)

    def at_month_end(pk: int, month: dt.date) -> tuple[dt.date, int, str]:
        return month, pk, history.path_on(pk, teams.get(pk), periods[month].last)

    add_agent_figures(result, window, as_of, at_month_end, agent_id=agent_id,
                      counted_on={m: p.last for m, p in periods.items()},
                      withheld_in=set(periods))
    return result


def snapshot_months(as_of: dt.datetime) -> list[dt.date]:
    """From the first month a live policy was printed in (at most MAX_MONTHS back) to the
    moment's month."""
    last = local_day(as_of).replace(day=1)
    first_printed = (Policy.objects.filter(voided_at__isnull=True)
                     .order_by("printed_on").values_list("printed_on", flat=True).first())
    first = last if first_printed is None else min(first_printed.replace(day=1), last)
    months = ind.months_of(ind.Period(first, last))
    return months[-MAX_MONTHS:]


def refresh(as_of: dt.datetime | None = None) -> FigureSnapshot | None:
    """A new snapshot as of `as_of` (now), unless a finished one is of a later moment."""
    as_of = as_of or timezone.now()
    if FigureSnapshot.objects.filter(finished_at__isnull=False, as_of__gt=as_of).exists():
        return None
    started = time.perf_counter()
    months = snapshot_months(as_of)
    snapshot = FigureSnapshot.objects.create(as_of=as_of, first_month=months[0],
                                             last_month=months[-1])
    by_agent = monthly_tallies(months, as_of)
    rows = write_figures(snapshot, by_agent)
    with transaction.atomic():
        FigureSnapshot.objects.filter(pk=snapshot.pk).update(
            finished_at=timezone.now(), rows=rows,
            seconds=round(time.perf_counter() - started, 1))
        # Earlier finished snapshots go, and what a dead run left (unfinished for longer
        # than a run takes); a run still writing beside this one is left to finish.
        FigureSnapshot.objects.exclude(pk=snapshot.pk).filter(as_of__lte=as_of).filter(
            Q(finished_at__isnull=False) | Q(started_at__lt=timezone.now() - ABANDONED_AFTER)
        ).delete()
    snapshot.refresh_from_db()
    return snapshot


def refresh_line(as_of: dt.datetime, *, force: bool = True) -> str:
    """`pinzhi evaluate`'s line for the figures; `force=False`: only when the latest are
    older than `PINZHI_FIGURES_EVERY` minutes at `as_of` (the scheduled evaluate runs
    every few minutes; a large company's figures take half a minute)."""
    from django.conf import settings

    last = latest()
    every = dt.timedelta(minutes=settings.PINZHI_FIGURES_EVERY)
    if not force and last is not None and last.as_of <= as_of < last.as_of + every:
        return (f"indicators: the figures as of {last.as_of.isoformat()} are recent "
                f"(PINZHI_FIGURES_EVERY)")
    made = refresh(as_of)
    if made is None:
        return f"indicators: kept the figures as of {last.as_of.isoformat()} (later)"
    return (f"indicators: {made.rows} rows of {made.first_month:%Y-%m}..{made.last_month:%Y-%m} "
            f"as of {made.as_of.isoformat()} in {made.seconds} s")


def write_figures(snapshot: FigureSnapshot, by_agent: dict) -> int:
    """Each agent's rows (under the team of each part), and each unit's (the sum of its
    subtree's), in batches."""
    by_path = dict(Unit.objects.values_list("path", "id"))
    unit_months: dict[tuple[dt.date, int], ind.Tally] = defaultdict(ind.Tally)
    columns = ("snapshot_id", "month", "unit_id", "agent_id", *PARTS)
    table, batch, written = MonthFigures._meta.db_table, [], 0
    adapt = connection.ops.adapt_datefield_value
    for (month, agent_id, path), tally in by_agent.items():
        if path is None:  # a voided agent's leftovers: in no team
            continue
        for ancestor in path_prefixes(path):
            unit_months[month, by_path[ancestor]] += tally
        if agent_id is None:  # a unit's own (a finding naming no agent): its rows only
            continue
        batch.append((snapshot.pk, adapt(month), by_path[path], agent_id, *tally.parts()))
        if len(batch) >= BATCH:
            written += write_rows(table, columns, batch)
            batch = []
    for (month, unit_id), tally in unit_months.items():
        batch.append((snapshot.pk, adapt(month), unit_id, None, *tally.parts()))
    return written + write_rows(table, columns, batch)


# -- reading them back ------------------------------------------------------------------


def latest() -> FigureSnapshot | None:
    return FigureSnapshot.objects.filter(finished_at__isnull=False).first()


def current(as_of: dt.datetime | None = None) -> FigureSnapshot:
    """The latest finished snapshot; one is made if there is none yet (a new install)."""
    return latest() or refresh(as_of)


def is_stale(snap: FigureSnapshot, now: dt.datetime | None = None) -> bool:
    """Older than a day and a bit: the scheduled `pinzhi evaluate` seems not to run."""
    return (now or timezone.now()) - snap.as_of > STALE_AFTER


def month_figures(snapshot: FigureSnapshot, months: list[dt.date], *,
                  units: list[int] | None = None, team: int | None = None
                  ) -> dict[tuple[int, dt.date], ind.Tally]:
    """{(unit id or agent id, month): tally}: of `units` (their subtrees), or of the
    agents of `team`."""
    rows = MonthFigures.objects.filter(snapshot=snapshot, month__in=months)
    if team is not None:
        rows, key = rows.filter(unit_id=team, agent__isnull=False), "agent_id"
    else:
        rows, key = rows.filter(unit_id__in=units, agent__isnull=True), "unit_id"
    return {(row[0], row[1]): ind.Tally(*row[2:])
            for row in rows.values_list(key, "month", *PARTS)}


def over(figures: dict, key: int, months: list[dt.date]) -> ind.Tally:
    """The tally of `key` over consecutive `months` (no row: nothing that month)."""
    return ind.over_months([figures.get((key, m), ind.Tally()) for m in months])


def agents_over(snap: FigureSnapshot, agent_ids: list[int], months: list[dt.date]
                ) -> dict[int, ind.Tally]:
    """Agents' tallies over consecutive months, whichever teams they were in."""
    by_month: dict[tuple[int, dt.date], ind.Tally] = defaultdict(ind.Tally)
    rows = MonthFigures.objects.filter(snapshot=snap, agent_id__in=agent_ids,
                                       month__in=months)
    for row in rows.values_list("agent_id", "month", *PARTS):
        by_month[row[0], row[1]] += ind.Tally(*row[2:])
    return {pk: ind.over_months([by_month[pk, m] for m in months]) for pk in agent_ids}


def agent_over(snap: FigureSnapshot, agent_id: int, months: list[dt.date]) -> ind.Tally:
    return agents_over(snap, [agent_id], months)[agent_id]


def months_so_far(snap: FigureSnapshot, period: ind.Period, today: dt.date) -> list[dt.date]:
    """The period's months up to today's that the snapshot holds."""
    return [m for m in ind.months_of(ind.Period(period.first, min(period.last, today)))
            if snap.first_month <= m <= snap.last_month] if period.first <= today else []
