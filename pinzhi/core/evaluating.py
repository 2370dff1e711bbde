"""Moving time: `pinzhi evaluate --as-of` runs every area's time-dependent rules.

Each area registers one function `(as_of) -> summary line` (callbacks: rounds opening and
failing; later receipts, documents, notices). They run in registration order; each is
idempotent for a moment, so a crashed or repeated run is simply run again.
"""

import datetime as dt
from collections.abc import Callable

EVALUATORS: dict[str, Callable[..., str]] = {}


def register_evaluator(name: str, evaluator: Callable[..., str]) -> None:
    """`evaluator(as_of, *, full)`: `full` recomputes everything, not only what may
    have changed since the last run."""
    EVALUATORS[name] = evaluator


def evaluate_all(as_of: dt.datetime, *, full: bool = False) -> list[str]:
    return [f"{name}: {fn(as_of, full=full)}" for name, fn in EVALUATORS.items()]
