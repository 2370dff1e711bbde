"""The rank assessment's inputs, read once for many agents: the catalogue as a ladder of
steps, and each agent's row of the promotion and maintenance feed (reports.promotion)
from the precomputed figures, as the feed's own page reads them (reports.views.promotion);
the export computes them from the facts instead (exports.py)."""

import datetime as dt
from dataclasses import dataclass

from pinzhi.org.models import Agent
from pinzhi.quality.scores import agents_of_half_year
from pinzhi.quality.scoring import half_year_bounds, half_year_of
from pinzhi.reports import indicators as ind
from pinzhi.reports import snapshot
from pinzhi.reports.promotion import HEADER, promotion_rows

from . import rules
from .models import Rank

CHUNK = 1000  # agents per read of the figures and the scores


@dataclass(frozen=True)
class Ladder:
    """The catalogue's ranks as steps, 1 the lowest."""

    names: tuple[str, ...]

    @classmethod
    def read(cls) -> "Ladder":
        return cls(tuple(Rank.objects.order_by("order").values_list("name", flat=True)))

    @property
    def top(self) -> int:
        return len(self.names)

    def step(self, name: str) -> int | None:
        return self.names.index(name) + 1 if name in self.names else None

    def name(self, step: int) -> str:
        return self.names[step - 1]

    def recommend(self, feed: rules.Feed, rank: str) -> tuple[str, str] | None:
        """(outcome, rank after it) recommended; None for a rank not in the catalogue."""
        step = self.step(rank)
        if step is None:
            return None
        outcome, after = rules.recommend(feed, step, self.top)
        return outcome, self.name(after)


def assessable(period: str, agents):
    """The agents a half-year's rank decisions are for: active in the half-year and still
    active ([reading] an agent who has left is not assessed: his rank is nobody's to
    decide any more; his earlier decisions stay)."""
    return agents_of_half_year(period, agents).filter(status=Agent.Status.ACTIVE)


def last_ended_half_year(today: dt.date) -> str:
    return half_year_of(half_year_bounds(half_year_of(today))[0] - dt.timedelta(days=1))


def has_ended(period: str, today: dt.date) -> bool:
    return today > half_year_bounds(period)[1]


def as_feed(row: dict) -> rules.Feed:
    return rules.Feed(row["standing"], row["promotion_eligible"] == "true",
                      row["maintenance_passed"] == "true")


def feed_rows(period: str, agent_ids: list[int], today: dt.date) -> dict[int, dict]:
    """{agent id: the feed's row (HEADER: value)} for the agents, a chunk at a time."""
    snap = snapshot.current()
    months = snapshot.months_so_far(snap, ind.Period(*half_year_bounds(period)), today)
    found: dict[int, dict] = {}
    for start in range(0, len(agent_ids), CHUNK):
        ids = agent_ids[start:start + CHUNK]
        figures = snapshot.agents_over(snap, ids, months)
        codes = dict(Agent.objects.filter(pk__in=ids).values_list("code", "pk"))
        for row in promotion_rows(period, today, agents=Agent.objects.filter(pk__in=ids),
                                  figures=figures):
            found[codes[row[1]]] = dict(zip(HEADER, row, strict=True))
    return found
