"""What a kind of feed file is: its columns, key, references and checks.

Each area declares its kinds (e.g. pinzhi/policies/imports.py) and registers them; the
engine (engine.py) does the rest the same way for every kind.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

ROW_ERROR = tuple[str, str, str]  # (column, value, reason)


@dataclass(frozen=True)
class Column:
    """A column of the file. `field` is the model field it lands in (default: same name)."""

    name: str
    parse: Callable[[str], Any]
    required: bool = True
    field: str | None = None
    default: Any = None
    not_future: bool = False  # a date or time after the moment of the import is a bad row
    # Absent from the file, a new row takes this other column's value (a case is found
    # when it occurred); an existing row keeps its own.
    default_from: str | None = None

    @property
    def target(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Reference:
    """A column that names another row by its natural key (an agent's team, a policy's agent).

    `where` is an extra SQL condition on the referenced table (alias `r`), with the reason
    given when the row exists but fails it (e.g. an agent's unit must be a team).
    """

    column: str
    field: str
    model: type[models.Model]
    to_field: str = "code"
    where: str = ""
    where_reason: str = ""
    within_file: bool = False  # may name a row of the same file (a unit's parent)


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    model: type[models.Model]
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()
    # Cross-column checks of one parsed row: (values, today) -> [(column, value, reason)].
    check_row: Callable[[dict, dt.date], list[ROW_ERROR]] | None = None
    # Checks of the staged file that need the database: (stage) -> [(row, col, value, reason)].
    check_stage: Callable[[Any], list[tuple[int, str, str, str]]] | None = None
    # The kind's own writes, instead of the generic ones (key resolution, voided rows, the
    # history of changed rows, update, insert), once every check passed, in the same
    # transaction: (stage) -> (created, updated); the other rows count as unchanged. For
    # a kind whose rows are not a copy of the file's columns (a rank decision is computed
    # from the checked row). `stage.by` and `stage.now` are the importing user and moment.
    write: Callable[[Any], tuple[int, int]] | None = None
    # Work after the rows are written, in the same transaction: (ctx) -> [warning].
    after_apply: Callable[[Any], list[str]] | None = None
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    REGISTRY[spec.kind] = spec
    return spec


def get_spec(kind: str) -> ImportSpec:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise KeyError(f"unknown kind {kind!r}; known: {', '.join(sorted(REGISTRY))}") from None


FOLLOWERS: dict[str, list[Callable]] = {}


def add_after_apply(kind: str, follower: Callable[[Any], list[str] | None]) -> None:
    """Another area's work on an import's rows, after the kind's own `after_apply`, in
    the same transaction (callbacks check the phones of imported policies)."""
    FOLLOWERS.setdefault(kind, []).append(follower)


def followers(kind: str) -> list[Callable]:
    return FOLLOWERS.get(kind, [])
