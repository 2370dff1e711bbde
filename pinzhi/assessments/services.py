"""The rank decisions (issue 8) as keyword-only services, each in a transaction with its
event rows: one agent's decision, and the decision of every undecided agent in a scope
as recommended (set-based); the feed file (imports.py) shares their checks
(`check_period`, `check_decision`) and their writes (`make_decision`, `apply_decisions`).

A decision reads the agent's row of the promotion and maintenance feed (reading.py: the
precomputed figures, as the pages show them), refuses what the feed does not allow
(rules.allowed), and changes `org.Agent.rank` by a queryset update. It writes
`assessments.decided` on the agent, and `agent.updated` with
`{"changes": {"rank": [old, new]}}` when the rank changed: the agents' history reads that
event (org.history follows only `unit_code` changes, so a rank's is safe there).

[readings] Decisions are made after the half-year has ended (its last day is still in
it); one per agent and half-year, a second is refused (no correction in Pinzhi: HR's own
appeal, then the next half-year's decision); an agent whose rank is not in the catalogue
cannot be decided (the bulk skips him and says how many).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent, Unit
from pinzhi.quality.scoring import half_year_bounds

from . import rules
from .models import RankDecision
from .reading import Ladder, as_feed, assessable, feed_rows, has_ended


class AssessmentRefused(Refused):
    """A rank decision that is not allowed (pinzhi.core.refusals); `field` names what is
    wrong, for the feed file's row errors (imports.py)."""

    def __init__(self, message: str, field: str = "", **params):
        super().__init__(message, **params)
        self.field = field


def may_decide(user) -> bool:
    return user is not None and user.has_role(Role.ASSESS)


def check_period(period: str, today: dt.date) -> str:
    try:
        half_year_bounds(period)
    except ValueError:
        raise AssessmentRefused(gettext_noop("period %(period)s is not a half-year "
                                             "(e.g. 2026H1)"), "period",
                                period=period) from None
    period = period.upper()
    if not has_ended(period, today):
        raise AssessmentRefused(gettext_noop("period %(period)s has not ended: decisions "
                                             "are made after the half-year"), "period",
                                period=period)
    return period


def _check_user(by) -> None:
    if not may_decide(by):
        raise AssessmentRefused(gettext_noop("%(user)s may not decide ranks"), user=by)


def _decision(agent: Agent, period: str, row: dict, recommended: tuple[str, str],
              outcome: str, to_rank: str, by, note: str, today: dt.date) -> RankDecision:
    feed = as_feed(row)
    return RankDecision(agent=agent, period=period, from_rank=agent.rank, to_rank=to_rank,
                        outcome=outcome, recommended=recommended[0], standing=feed.standing,
                        promotion_eligible=feed.promotion_eligible,
                        maintenance_passed=feed.maintenance_passed, decided_on=today, by=by,
                        note=note)


def _events(decision: RankDecision, by, now: dt.datetime) -> list[Event]:
    code = decision.agent.code
    events = [Event(at=now, actor=by, action="assessments.decided", kind="agent", key=code,
                    data={"period": decision.period, "outcome": decision.outcome,
                          "recommended": decision.recommended,
                          "from_rank": decision.from_rank, "to_rank": decision.to_rank})]
    if decision.to_rank != decision.from_rank:
        events.append(Event(at=now, actor=by, action="agent.updated", kind="agent", key=code,
                            data={"changes": {"rank": [decision.from_rank,
                                                       decision.to_rank]}}))
    return events


def _check_outcome_name(outcome: str) -> None:
    if outcome not in rules.OUTCOMES:
        raise AssessmentRefused(gettext_noop("outcome %(outcome)s is not one of promote, "
                                             "maintain, demote, termination_review"),
                                "outcome", outcome=outcome)


def refuse_out_of_scope(agent: Agent, period: str, by):
    return AssessmentRefused(gettext_noop("agent %(agent)s is not an agent of %(period)s "
                                          "in %(user)s's scope"), "agent_code",
                             agent=agent.code, period=period, user=by)


def refuse_decided(agent: Agent, period: str):
    return AssessmentRefused(gettext_noop("agent %(agent)s's rank for %(period)s is "
                                          "decided already"), "outcome",
                             agent=agent.code, period=period)


def check_decision(agent: Agent, outcome: str, row: dict, ladder: Ladder) -> str:
    """The rank `outcome` leads the agent to, against his row of the feed; refused when
    his rank is not in the catalogue, the feed does not allow it, or there is no such
    rank. The one check of the page, the API and the feed file."""
    step = ladder.step(agent.rank)
    if step is None:
        raise AssessmentRefused(gettext_noop("rank %(rank)s of agent %(agent)s is not in "
                                             "the catalogue"), "agent_code",
                                rank=agent.rank, agent=agent.code)
    feed = as_feed(row)
    if not rules.allowed(outcome, feed):
        raise AssessmentRefused(gettext_noop(
            "outcome %(outcome)s is not allowed for agent %(agent)s: the feed says "
            "%(standing)s, promotion eligible %(eligible)s, maintenance passed "
            "%(passed)s"), "outcome", outcome=outcome, agent=agent.code,
            standing=feed.standing, eligible=row["promotion_eligible"],
            passed=row["maintenance_passed"])
    after = rules.step_after(outcome, step, ladder.top)
    if after is None:
        raise AssessmentRefused(gettext_noop("outcome %(outcome)s: agent %(agent)s's rank "
                                             "%(rank)s has no rank beyond it"), "outcome",
                                outcome=outcome, agent=agent.code, rank=agent.rank)
    return ladder.name(after)


def rank_decide(*, agent: Agent, period: str, outcome: str, note: str = "",
                by) -> RankDecision:
    """One agent's decision for an ended half-year, against his row of the feed."""
    _check_user(by)
    today = timezone.localdate()
    period = check_period(period, today)
    _check_outcome_name(outcome)
    in_scope = Agent.objects.restrict(by).filter(pk=agent.pk)
    if not assessable(period, in_scope).exists():
        raise refuse_out_of_scope(agent, period, by)
    with transaction.atomic():
        agent = Agent.objects.select_for_update().get(pk=agent.pk)
        if RankDecision.objects.filter(agent=agent, period=period).exists():
            raise refuse_decided(agent, period)
        ladder = Ladder.read()
        row = feed_rows(period, [agent.pk], today)[agent.pk] \
            if ladder.step(agent.rank) else {}
        to_rank = check_decision(agent, outcome, row, ladder)
        decision = make_decision(agent, period, row, ladder, outcome, to_rank, by,
                                 note.strip(), today)
        decision.save()
        apply_decisions([decision], by)
    return decision


def make_decision(agent: Agent, period: str, row: dict, ladder: Ladder, outcome: str,
                  to_rank: str, by, note: str, today: dt.date) -> RankDecision:
    """A checked decision, unsaved (the feed file's are saved by one bulk_create)."""
    return _decision(agent, period, row, ladder.recommend(as_feed(row), agent.rank),
                     outcome, to_rank, by, note, today)


def apply_decisions(decisions: list[RankDecision], by) -> None:
    """The ranks changed (one UPDATE per new rank) and the events, for saved decisions."""
    now = timezone.now()
    moved: dict[str, list[int]] = defaultdict(list)
    for d in decisions:
        if d.to_rank != d.from_rank:
            moved[d.to_rank].append(d.agent_id)
    for rank, ids in moved.items():
        Agent.objects.filter(pk__in=ids).update(rank=rank, updated_at=now)
    Event.objects.bulk_create([e for d in decisions for e in _events(d, by, now)])


@dataclass
class Decided:
    """What a bulk decision did: decisions by outcome, agents skipped (rank unknown)."""

    by_outcome: Counter = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.by_outcome.values())

    def __str__(self):
        counts = ", ".join(f"{n} {o}" for o, n in sorted(self.by_outcome.items()))
        skipped = f"; {len(self.skipped)} skipped (rank not in the catalogue)" \
            if self.skipped else ""
        return f"{self.count} decided as recommended ({counts or 'none'}){skipped}"


def _scope(agents, by):
    if isinstance(agents, Unit):
        return Agent.objects.restrict(by).filter(team__path__startswith=agents.path)
    return agents.filter(pk__in=Agent.objects.restrict(by).values("pk"))


def rank_decide_as_recommended(*, agents, period: str, by) -> Decided:
    """Every undecided agent of the half-year in `agents` (a queryset or a unit's
    subtree, within the user's scope) decided as the feed recommends, set-based."""
    _check_user(by)
    today = timezone.localdate()
    period = check_period(period, today)
    done = Decided()
    with transaction.atomic():
        undecided = assessable(period, _scope(agents, by)).exclude(
            rank_decisions__period=period)
        rows = list(undecided.select_for_update(of=("self",)).order_by("code"))
        ladder = Ladder.read()
        feeds = feed_rows(period, [a.pk for a in rows], today)
        decisions = []
        for agent in rows:
            row = feeds[agent.pk]
            recommended = ladder.recommend(as_feed(row), agent.rank)
            if recommended is None:
                done.skipped.append(agent.code)
                continue
            decisions.append(_decision(agent, period, row, recommended, *recommended, by,
                                       "", today))
            done.by_outcome[recommended[0]] += 1
        try:
            with transaction.atomic():
                RankDecision.objects.bulk_create(decisions, batch_size=1000)
        except IntegrityError:
            raise AssessmentRefused(gettext_noop("some of these agents were decided "
                                                 "meanwhile: try again")) from None
        apply_decisions(decisions, by)
    return done
