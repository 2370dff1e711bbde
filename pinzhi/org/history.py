"""An agent's team on a past day, derived from the facts: the agents feed records each
move as an `agent.updated` event (the import's change log, core.Event) with the old and
the new `unit_code`. The indicators count a policy for the team its agent was in on the
printed date (rules §8.1).

[reading] The feed carries no date of a move: a move takes effect on the local day of the
import that recorded it; before it the agent was in the move's old team.
"""

import datetime as dt
from bisect import bisect_right
from collections import defaultdict

from pinzhi.core.calendar import local_day
from pinzhi.core.models import Event

from .models import Agent, Unit


def team_on(moves: list[tuple[dt.date, str]], current: str, day: dt.date) -> str:
    """The team (path) on `day` of an agent now in `current`, from his moves
    [(day it took effect, the team he left)] in time order: the team left by the first
    move after the day, else the current one."""
    i = bisect_right([moved_on for moved_on, _ in moves], day)
    return moves[i][1] if i < len(moves) else current


class TeamHistory:
    """Every moved agent's moves, read once; `path_on` answers for any agent and day."""

    def __init__(self):
        paths = dict(Unit.objects.values_list("code", "path"))
        by_code: dict[str, list[tuple[dt.datetime, str]]] = defaultdict(list)
        events = (Event.objects.filter(kind="agent", action="agent.updated")
                  .values_list("key", "at", "data").order_by("at", "id"))
        for code, at, data in events.iterator(chunk_size=5000):
            change = ((data or {}).get("changes") or {}).get("unit_code")
            if change and change[0] in paths:
                by_code[code].append((at, paths[change[0]]))
        ids = dict(Agent.objects.filter(code__in=list(by_code)).values_list("code", "id"))
        self.moves = {ids[code]: [(local_day(at), left) for at, left in moves]
                      for code, moves in by_code.items() if code in ids}

    def path_on(self, agent_id: int, current: str, day: dt.date) -> str:
        moves = self.moves.get(agent_id)
        return current if not moves else team_on(moves, current, day)
