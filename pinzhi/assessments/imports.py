"""The `rank_decisions` feed file (issue 8): HR's half-year rank decisions, keyed by
agent code and half-year, instead of deciding on the page.

Every row is checked as `services.rank_decide` checks one decision, for all rows at once
(`_check`, before anything is written): the importing user may import the feed, the
half-year has ended, the agent is an agent of it (`reading.assessable`) in the user's
scope, and `services.check_decision` (his rank in the catalogue, the outcome allowed by
his row of the feed, a rank beyond it). The feed is read once per half-year of the file
(`reading.feed_rows`), the agents locked as the page locks them. A row equal to the
decision recorded (same agent, half-year and outcome) changes nothing, its note
included; another outcome for a decided agent is refused.

The feed writes its rows itself (`ImportSpec.write`, `_write_decisions`), after every
check passed: the decisions the check computed (`services.make_decision`: ranks, the
feed's verdict, who, when) by one bulk insert, then `services.apply_decisions` changes
the ranks (one UPDATE per new rank) and writes the events, as the bulk decision does.
The rows sent again are unchanged.
"""

import datetime as dt

from django.utils import timezone

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent
from pinzhi.quality.scoring import half_year_bounds

from . import rules
from .models import RankDecision
from .reading import Ladder, assessable, feed_rows
from .services import (
    AssessmentRefused,
    apply_decisions,
    check_decision,
    check_period,
    make_decision,
    refuse_decided,
    refuse_out_of_scope,
)

KIND = "rank_decisions"


def half_year(value: str) -> str:
    """A half-year as `YYYYH1` or `YYYYH2`."""
    try:
        half_year_bounds(value)
    except ValueError:
        raise ValueError("not a half-year (YYYYH1 or YYYYH2)") from None
    return value.upper()


def _staged(stage) -> list[dict]:
    names = ["agent_code", "period", "outcome"]
    if "note" in {c.name for c in stage.columns}:
        names.append("note")
    return [dict(zip(["row_no", *names], r, strict=True)) for r in stage.staged(*names)]


def _check(stage) -> list[tuple[int, str, str, str]]:
    by = stage.by
    if by is None or not by.may_import(KIND):
        return [(0, "", "", f"{by or 'nobody'} may not import {KIND}: a decision needs "
                            "the user who makes it (--by)")]
    rows = _staged(stage)
    today = timezone.localdate(stage.now)
    agents = {a.code: a for a in Agent.objects.select_for_update().filter(
        code__in={r["agent_code"] for r in rows})}
    stored = {(d.agent_id, d.period): d for d in RankDecision.objects.filter(
        agent__in=agents.values(), period__in={r["period"] for r in rows})}
    ladder = Ladder.read()
    errors, new = [], []
    for row in rows:
        agent = agents.get(row["agent_code"])
        if agent is None:
            continue  # the engine names the unknown agent
        try:
            check_period(row["period"], today)
        except AssessmentRefused as refused:
            errors.append((row["row_no"], refused.field, row["period"], str(refused)))
            continue
        earlier = stored.get((agent.pk, row["period"]))
        if earlier is None:
            new.append((row, agent))
        elif earlier.outcome != row["outcome"]:
            refused = refuse_decided(agent, row["period"])
            errors.append((row["row_no"], "outcome", row["outcome"],
                           f"{refused}: {earlier.outcome}"))
    decisions, new_errors = _decide(new, by, ladder, today)
    errors += new_errors
    errors += _out_of_scope(stored, rows, agents, by)
    stage.rank_decisions = decisions  # written by _write_decisions if all rows pass
    return errors


def _out_of_scope(stored, rows, agents, by) -> list[tuple[int, str, str, str]]:
    """A decided agent re-sent is still checked to be in the user's scope."""
    visible = set(Agent.objects.restrict(by).filter(
        pk__in=[d.agent_id for d in stored.values()]).values_list("pk", flat=True))
    errors = []
    for row in rows:
        agent = agents.get(row["agent_code"])
        if agent is not None and (agent.pk, row["period"]) in stored \
                and agent.pk not in visible:
            errors.append((row["row_no"], "agent_code", agent.code,
                           str(refuse_out_of_scope(agent, row["period"], by))))
    return errors


def _decide(new, by, ladder: Ladder, today: dt.date):
    """The new rows' decisions, checked as rank_decide checks one; the feed read once per
    half-year for all its agents."""
    by_period: dict[str, list] = {}
    for row, agent in new:
        by_period.setdefault(row["period"], []).append((row, agent))
    decisions, errors = [], []
    for period, pairs in by_period.items():
        ids = [agent.pk for _, agent in pairs]
        decidable = set(assessable(period, Agent.objects.restrict(by).filter(pk__in=ids))
                        .values_list("pk", flat=True))
        feeds = feed_rows(period, sorted(decidable), today)
        for row, agent in pairs:
            try:
                if agent.pk not in decidable:
                    raise refuse_out_of_scope(agent, period, by)
                to_rank = check_decision(agent, row["outcome"], feeds[agent.pk], ladder)
            except AssessmentRefused as refused:
                errors.append((row["row_no"], refused.field, row[refused.field], str(refused)))
                continue
            decisions.append(make_decision(agent, period, feeds[agent.pk], ladder,
                                           row["outcome"], to_rank, by,
                                           row.get("note") or "", today))
    return decisions, errors


def _write_decisions(stage) -> tuple[int, int]:
    """The new rows' decisions, as checked, and their ranks and events; a row sent again
    (same outcome: the recorded decision, its note included, stays) is unchanged."""
    for decision in stage.rank_decisions:
        decision.created_at = stage.now  # recorded at the moment of the import
    decisions = RankDecision.objects.bulk_create(stage.rank_decisions, batch_size=1000)
    apply_decisions(decisions, stage.by)
    return len(decisions), 0


RANK_DECISIONS = register(ImportSpec(
    kind=KIND,
    model=RankDecision,
    key=("agent_code", "period"),
    columns=(
        Column("agent_code", p.code(), field="agent"),
        Column("period", half_year),
        Column("outcome", p.choice(*rules.OUTCOMES)),
        Column("note", p.text(2000), required=False, default=""),
    ),
    references=(Reference("agent_code", "agent", Agent),),
    check_stage=_check,
    write=_write_decisions,
    description="HR's half-year rank decisions (issue 8), checked as on the page: the "
                "ranks changed and the events written",
))
