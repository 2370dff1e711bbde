"""Which version of a versioned rule is in force: one pure function for all of them.

A version applies from its `valid_from` on, to the whole company (no unit) or to a
unit's subtree. For a day and a unit path, the deepest unit's version wins (a branch
overrides head office for its subtree), and among one unit's versions the latest
`valid_from` on or before the day.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def in_force(versions: Iterable[tuple[str | None, dt.date, T]], *, on: dt.date,
             path: list[str]) -> T | None:
    """`versions`: (unit code or None, valid_from, item); `path`: unit codes, root first."""
    best, best_key = None, None
    for unit_code, valid_from, item in versions:
        if valid_from > on:
            continue
        if unit_code is None:
            depth = -1
        elif unit_code in path:
            depth = path.index(unit_code)
        else:
            continue
        key = (depth, valid_from)
        if best_key is None or key > best_key:
            best, best_key = item, key
    return best


def path_codes(unit_path: str) -> list[str]:
    """'/HQ/GD/GZ/' -> ['HQ', 'GD', 'GZ']."""
    return [c for c in unit_path.split("/") if c]


def path_prefixes(unit_path: str) -> list[str]:
    """The paths of a unit and its ancestors, root first: '/HQ/GD/' -> ['/HQ/', '/HQ/GD/']."""
    codes = path_codes(unit_path)
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]
