"""Moving time: `pinzhi evaluate --as-of [--unit CODE]` runs every area's time-dependent
rules.

Each area registers one function `(as_of, *, full, unit_path) -> summary line`
(callbacks: rounds opening and failing; receipts, documents, notices: their cases;
training: remedial assignments). They run in registration order; each is idempotent for
a moment, so a crashed or repeated run is simply run again.

`unit_path` is '' for the whole company, or a unit's materialised path: the evaluator
then reads and writes only what lies in that subtree (the policies, documents, notices
and agents of its teams, and what derives from them), through `in_subtree` applied where
its one read selects its rows. Runs of disjoint subtrees can go on at once (several
processes or machines against one PostgreSQL); runs whose subtrees overlap never do:
`evaluate_claimed` holds the scope's claim (settlement/locking.py) while it runs.
"""

import datetime as dt
from collections.abc import Callable

EVALUATORS: dict[str, Callable[..., str]] = {}


def register_evaluator(name: str, evaluator: Callable[..., str]) -> None:
    """`evaluator(as_of, *, full, unit_path)`: `full` recomputes everything, not only
    what may have changed since the last run; `unit_path` narrows it to a subtree."""
    EVALUATORS[name] = evaluator


def evaluate_all(as_of: dt.datetime, *, full: bool = False, unit_path: str = ""
                 ) -> list[str]:
    """Every area moved to `as_of`, over `unit_path`'s subtree ('' all). Claims nothing:
    the caller holds the scope (`evaluate_claimed`, or a settlement's own claim)."""
    return [f"{name}: {fn(as_of, full=full, unit_path=unit_path)}"
            for name, fn in EVALUATORS.items()]


def evaluate_claimed(as_of: dt.datetime, *, unit=None, full: bool = False,
                     wait: float = 0) -> list[str]:
    """`evaluate_all` over `unit`'s subtree (None: the company) while holding its claim;
    refused (locking.ScopeBusy) while a run of an overlapping scope holds one."""
    from pinzhi.settlement.locking import claimed

    unit_path = unit.path if unit is not None else ""
    with claimed(scope_path=unit_path, what="evaluate", wait=wait):
        return evaluate_all(as_of, full=full, unit_path=unit_path)


def in_subtree(queryset, lookup: str, unit_path: str):
    """`queryset` narrowed to the rows whose unit path (`lookup`, e.g.
    "agent__team__path") lies in `unit_path`'s subtree; all of them for ''. The one
    definition of a unit's scope that every evaluator's read applies."""
    if not unit_path:
        return queryset
    return queryset.filter(**{f"{lookup}__startswith": unit_path})
