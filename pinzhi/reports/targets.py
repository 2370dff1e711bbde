"""Quality objectives against the indicators: which target is in force for a unit on a
day, and whether a figure meets it. A target is a fraction for a rate (0.95 for 95 %)
and a plain number otherwise; a figure with no value ("—") neither meets nor misses."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from pinzhi.core.versions import in_force, path_codes

from .models import Direction, Target


class Objective(NamedTuple):
    value: Decimal
    direction: str

    def met_by(self, figure) -> bool | None:
        if figure is None:
            return None
        figure = Decimal(figure)
        return figure >= self.value if self.direction == Direction.AT_LEAST else \
            figure <= self.value


def against(objective: Objective | None, figure) -> tuple[Decimal | None, bool | None]:
    """(the target, whether the figure meets it); (None, None) where none is set."""
    return (None, None) if objective is None else (objective.value, objective.met_by(figure))


class Targets:
    """Every version, read once; `for_unit(path, day)` resolves them in memory."""

    def __init__(self):
        self.versions: dict[str, list] = {}
        for t in Target.objects.select_related("unit"):
            self.versions.setdefault(t.indicator, []).append(
                (t.unit.code if t.unit else None, t.valid_from,
                 Objective(t.value, t.direction)))

    def for_unit(self, unit_path: str, day: dt.date) -> dict[str, Objective]:
        path = path_codes(unit_path)
        found = {code: in_force(versions, on=day, path=path)
                 for code, versions in self.versions.items()}
        return {code: objective for code, objective in found.items() if objective}
