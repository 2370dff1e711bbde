"""The callback facts as streams of plain rows, in policy order, for the evaluation.

Raw SQL through server-side cursors (PostgreSQL) rather than the ORM: a million policies
bring several million timestamps, and parsing each from text took most of a run. The
database hands them over as whole microseconds since 1970 and dates as days since 1970;
building a datetime from an integer costs a fraction of parsing one. The SQL differs by
vendor only in those two conversions.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, Product
from pinzhi.receipts.models import Receipt

from .models import CallbackAttempt, CallbackRequest, CallbackStatus, ContactUpdate

CHUNK = 20_000
CANDIDATES = "pz_cb_candidates"  # candidates.TABLE
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def moment(microseconds: int | None) -> dt.datetime | None:
    return None if microseconds is None else EPOCH + dt.timedelta(microseconds=microseconds)


def day(days: int | None) -> dt.date | None:
    return None if days is None else dt.date.fromordinal(EPOCH_ORDINAL + days)


def _us(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite keeps UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]', as Django writes it.
    return (f"(CAST(strftime('%%s', {column}) AS INTEGER) * 1000000 + "
            f"CAST(substr({column} || '.000000', 21, 6) AS INTEGER))")


def _days(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _t(model) -> str:
    return model._meta.db_table


def subtree_policies(unit_path: str) -> tuple[str, list]:
    """(SQL, parameters) of the ids of the policies whose agent's team lies in
    `unit_path`'s subtree: the ORM's own query, so a unit's scope has one definition
    (core.evaluating.in_subtree) in SQL as in querysets."""
    from pinzhi.core.evaluating import in_subtree

    query = in_subtree(Policy.objects.order_by(), "agent__team__path", unit_path)
    sql, params = query.values("id").query.sql_with_params()
    return sql, list(params)


SUBTREE = "pz_cb_subtree"


def subtree_table(unit_path: str) -> str:
    """A temporary table of this session holding the ids of `unit_path`'s policies
    (`subtree_policies`), made anew for each read of the facts: a branch's five streams
    then join an indexed list instead of each planning the subtree's join again (a
    branch of the scale run evaluated in 24 s instead of 33 s)."""
    sql, params = subtree_policies(unit_path)
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {SUBTREE}")
        cur.execute(f"CREATE TEMPORARY TABLE {SUBTREE} (id bigint PRIMARY KEY)")
        cur.execute(f"INSERT INTO {SUBTREE} (id) {sql}", params)
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {SUBTREE}")
    return SUBTREE


@dataclass(frozen=True)
class Scope:
    """Which policies a stream reads: some ids, an id range (a worker's slice), the
    candidates of an incremental run (candidates.TABLE, this session's), the ids of
    another temporary table of this session (`table`, e.g. a settlement's scope), or all;
    and of those, only a unit's subtree's (`unit_path`, `pinzhi evaluate --unit`)."""

    policy_ids: list[int] | None = None
    id_range: tuple[int, int] | None = None
    candidates: bool = False
    table: str | None = None
    unit_path: str = ""

    def where(self, column: str) -> tuple[str, list]:
        sql, params = "", []
        if self.id_range is not None:
            sql, params = f" AND {column} >= %s AND {column} < %s", list(self.id_range)
        if self.candidates:
            sql += f" AND {column} IN (SELECT id FROM {CANDIDATES})"
        if self.table:
            sql += f" AND {column} IN (SELECT id FROM {self.table})"
        if self.policy_ids is not None:
            marks = ", ".join(["%s"] * len(self.policy_ids)) or "NULL"
            sql, params = sql + f" AND {column} IN ({marks})", params + list(self.policy_ids)
        if self.unit_path:
            subtree, subtree_params = subtree_policies(self.unit_path)
            sql, params = sql + f" AND {column} IN ({subtree})", params + subtree_params
        return sql, params


def _stream(sql: str, params: list) -> Iterator[tuple]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def policies(scope: Scope) -> Iterator[tuple]:
    """(id, policy_no, agent_id, printed days, signed days, long_term, phone, applicant ID,
    team path, cooling-off days, the receipt's signed days) of every live policy."""
    where, params = scope.where("p.id")
    return _stream(
        f"SELECT p.id, p.policy_no, p.agent_id, {_days('p.printed_on')}, "
        f"{_days('p.signed_on')}, pr.long_term, p.applicant_phone, p.applicant_id_number, "
        f"u.path, pr.cooling_off_days, {_days('r.signed_on')} FROM {_t(Policy)} p "
        f"JOIN {_t(Product)} pr ON pr.id = p.product_id "
        f"JOIN {_t(Agent)} a ON a.id = p.agent_id JOIN {_t(Unit)} u ON u.id = a.team_id "
        f"LEFT JOIN {_t(Receipt)} r ON r.policy_id = p.id AND r.voided_at IS NULL "
        f"WHERE p.voided_at IS NULL{where} ORDER BY p.id", params)


def attempts(scope: Scope, *, with_recorded: bool) -> Iterator[tuple]:
    """(policy_id, id, round, at µs, outcome, findings, phone_changed, recorded µs or
    None, appointment µs, flag) of every live attempt, by policy and time."""
    where, params = scope.where("policy_id")
    recorded = _us("created_at") if with_recorded else "NULL"
    return _stream(
        f"SELECT policy_id, id, round, {_us('attempted_at')}, outcome, findings, "
        f"phone_changed, {recorded}, {_us('appointment_at')}, flag "
        f"FROM {_t(CallbackAttempt)} WHERE voided_at IS NULL{where} "
        f"ORDER BY policy_id, attempted_at", params)


def updates(scope: Scope, *, with_recorded: bool) -> Iterator[tuple]:
    """(policy_id, at µs, phone, recorded µs or None) of every live contact update."""
    where, params = scope.where("policy_id")
    recorded = _us("created_at") if with_recorded else "NULL"
    return _stream(
        f"SELECT policy_id, {_us('changed_at')}, phone, {recorded} "
        f"FROM {_t(ContactUpdate)} WHERE voided_at IS NULL{where} "
        f"ORDER BY policy_id, changed_at", params)


def requests(scope: Scope) -> Iterator[tuple]:
    """(policy_id, kind, approved days, earliest days) of every approved live request."""
    where, params = scope.where("policy_id")
    return _stream(
        f"SELECT policy_id, kind, {_days('approved_on')}, {_days('earliest_on')} "
        f"FROM {_t(CallbackRequest)} WHERE voided_at IS NULL AND approved_on IS NOT NULL"
        f"{where} ORDER BY policy_id", params)


def stored(scope: Scope) -> Iterator[tuple]:
    """(policy_id, digest) of every stored state: enough to tell whether it changed."""
    where, params = scope.where("policy_id")
    return _stream(f"SELECT policy_id, digest FROM {_t(CallbackStatus)} WHERE 1 = 1{where} "
                   f"ORDER BY policy_id", params)
