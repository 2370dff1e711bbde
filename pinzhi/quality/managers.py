"""Team managers' accountability (issue 8): a manager is a user of role `manager` with his
own agent record and a unit (his team, or an office); his agents are the other agents of
that unit's subtree. A setting (`quality.manager_share_percent`, versioned, per unit;
[reading] 0, off, by default) adds that share of his agents' half-year points to his own,
and his standing follows (scoring.with_managed_share)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db.models import Q

from pinzhi.accounts.models import Role, User
from pinzhi.core import parameters
from pinzhi.core.parameters import ParameterTable
from pinzhi.org.models import Agent

from .scoring import half_year_bounds, with_managed_share

KEY = "quality.manager_share_percent"


def managed_units() -> dict[int, str]:
    """{manager's agent id: the path of the unit he manages}."""
    return dict(User.objects.filter(role=Role.MANAGER, is_active=True, agent__isnull=False,
                                    unit__isnull=False).values_list("agent_id", "unit__path"))


def managed_agents(path: str, manager_id: int):
    return Agent.objects.filter(team__path__startswith=path).exclude(pk=manager_id)


def with_managers_share(own: Callable, period: str, *, as_of: dt.date, agents=None,
                        known_at: dt.datetime | None = None) -> Iterator:
    table = ParameterTable([KEY])
    if not table.versions[KEY] and not parameters.DEFAULTS[KEY]:
        yield from own(period, as_of=as_of, agents=agents, known_at=known_at)
        return  # off everywhere: nothing more to read
    from .scores import RulesByTeam

    day = min(half_year_bounds(period)[1], as_of)
    managers = managed_units()
    rows = list(own(period, as_of=as_of, agents=agents, known_at=known_at))
    shares = {a.pk: int(table.value(KEY, on=day, unit_path=a.team.path))
              for a, _ in rows if a.pk in managers}
    shares = {pk: share for pk, share in shares.items() if share}
    totals = agents_points(own, period, as_of, known_at,
                           {pk: managers[pk] for pk in shares})
    rules = RulesByTeam(day)
    for agent, score in rows:
        if agent.pk in shares:
            score = with_managed_share(score, totals[agent.pk], shares[agent.pk],
                                       max(score.case_points.values(), default=0),
                                       rules.for_team(agent.team)[0])
        yield agent, score


def agents_points(own: Callable, period: str, as_of: dt.date, known_at,
                  managed: dict[int, str]) -> dict[int, int]:
    """{manager's agent id: his agents' own half-year points, in tenths}, in one pass."""
    totals: dict[int, int] = defaultdict(int)
    if not managed:
        return totals
    under = Q()
    for path in set(managed.values()):
        under |= Q(team__path__startswith=path)
    for agent, score in own(period, as_of=as_of, agents=Agent.objects.filter(under),
                            known_at=known_at):
        for manager_id, path in managed.items():
            if agent.pk != manager_id and agent.team.path.startswith(path):
                totals[manager_id] += score.points_tenths
    return totals


def manager_record(agent: Agent, user, today: dt.date) -> dict | None:
    """For a manager's own record: the half-year's counting cases of his agents (in the
    viewer's scope), with their points, and his share if the setting is on; None for an
    agent who manages nobody."""
    from .models import Case
    from .scores import half_year_scores, own_scores
    from .scoring import half_year_of

    path = managed_units().get(agent.pk)
    if path is None:
        return None
    period = half_year_of(today)
    agents = managed_agents(path, agent.pk).filter(
        pk__in=Agent.objects.restrict(user).values("pk"))
    priced = {}
    for _agent, score in own_scores(period, as_of=today, agents=agents):
        priced.update(score.case_points)
    cases = (Case.objects.filter(case_no__in=list(priced)).select_related("agent", "type")
             .order_by("-occurred_on", "case_no"))
    [(_me, mine)] = list(half_year_scores(period, as_of=today,
                                          agents=Agent.objects.filter(pk=agent.pk))) or [
        (None, None)]
    return {"period": period, "unit_path": path,
            "cases": [(case, priced[case.case_no]) for case in cases],
            "share": mine.managed_tenths if mine else 0}
