"""Half-year scores from the database: one streaming query, the pure `scoring.score` per
agent. Used by the pages, the export and the API alike."""

import datetime as dt
from collections.abc import Iterator
from itertools import groupby

from django.db.models import Q
from django.utils import timezone

from pinzhi.core import parameters
from pinzhi.core.models import Parameter
from pinzhi.core.versions import in_force, path_codes
from pinzhi.org.models import Agent

from .models import Case, HalfYearClose, StandingScheme
from .scoring import DEFAULT_SCHEME, CaseFact, Scheme, Score, half_year_bounds, score

TIER_MODE = "quality.document_tier_mode"

CASE_FIELDS = ("case_no", "agent_id", "type__code", "occurred_on", "version__points_tenths",
               "version__tier_after", "version__tier_points_tenths", "rule_key", "status",
               "decided_at", "reviewed_at", "voided_at")


def end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def agents_of_half_year(period: str, agents=None):
    """Agents active at any time in the half-year (rules: zero rows included)."""
    start, end = half_year_bounds(period)
    agents = Agent.objects.all() if agents is None else agents
    return agents.live().filter(hired_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=start))


def case_facts(cases) -> Iterator[CaseFact]:
    for row in cases.values_list(*CASE_FIELDS).order_by("agent_id").iterator(chunk_size=20000):
        (no, agent_id, code, day, tenths, tier_after, tier_tenths, rule_key, status,
         decided_at, reviewed_at, voided_at) = row
        yield CaseFact(no, agent_id, code, day, tenths, tier_after, tier_tenths,
                       rule_key or no, status, decided_at, reviewed_at, voided_at)


def half_year_scores(period: str, *, as_of: dt.date, agents=None,
                     known_at: dt.datetime | None = None) -> Iterator[tuple[Agent, Score]]:
    """(agent, score) for every agent of the half-year (`agents` narrows), by agent id:
    cases that occurred up to `as_of`, in their state at `known_at` (default now); a
    manager's with his share of his agents' points when the setting is on (managers.py)."""
    from .managers import with_managers_share

    yield from with_managers_share(own_scores, period, as_of=as_of, agents=agents,
                                   known_at=known_at)


def own_scores(period: str, *, as_of: dt.date, agents=None,
               known_at: dt.datetime | None = None) -> Iterator[tuple[Agent, Score]]:
    """Each agent's score from his own cases only."""
    start, end = half_year_bounds(period)
    known_at = known_at or timezone.now()
    agents = agents_of_half_year(period, agents).select_related("team").order_by("id")
    cases = Case.objects.filter(agent__in=agents.values("id"), occurred_on__gte=start,
                                occurred_on__lte=min(end, as_of))
    by_agent = groupby(case_facts(cases), key=lambda c: c.agent_id)
    pending = next(by_agent, None)
    rules = RulesByTeam(min(end, as_of))
    for agent in agents.iterator(chunk_size=5000):
        while pending is not None and pending[0] < agent.id:
            pending = next(by_agent, None)
        facts = list(pending[1]) if pending is not None and pending[0] == agent.id else []
        scheme, tier_mode = rules.for_team(agent.team)
        yield agent, score(agent.id, facts, period=period, through=as_of,
                           known_at=known_at, scheme=scheme, tier_mode=tier_mode)


class RulesByTeam:
    """Thresholds and the tier reading in force for a team (a branch may override),
    read once for the whole run and picked per team by the one in-force rule."""

    def __init__(self, on: dt.date):
        self.on, self.cache = on, {}
        self.schemes = [(s.unit.code if s.unit else None, s.valid_from,
                         Scheme.from_json(s.lines, s.single_case_termination_tenths))
                        for s in StandingScheme.objects.select_related("unit")]
        self.tier_modes = [(p.unit.code if p.unit else None, p.valid_from, p.value)
                           for p in Parameter.objects.filter(key=TIER_MODE)
                           .select_related("unit")]

    def for_team(self, team):
        if team.pk not in self.cache:
            path = path_codes(team.path)
            scheme = in_force(self.schemes, on=self.on, path=path) or DEFAULT_SCHEME
            mode = in_force(self.tier_modes, on=self.on, path=path) or \
                parameters.DEFAULTS[TIER_MODE]
            self.cache[team.pk] = (scheme, mode)
        return self.cache[team.pk]


def closed(period: str) -> HalfYearClose | None:
    return HalfYearClose.objects.filter(period=period).first()


def corrections(period: str, close: HalfYearClose):
    """Cases of a closed half-year whose counting changed after it was closed."""
    start, end = half_year_bounds(period)
    after = close.closed_at
    return Case.objects.filter(occurred_on__gte=start, occurred_on__lte=end).filter(
        Q(decided_at__gt=after) | Q(reviewed_at__gt=after) | Q(voided_at__gt=after)
    ).select_related("agent", "type")
