"""The settlement's facts as a stream of plain rows, in policy order.

One query picks the policies a month settles (printed before its cutoff, live, of the
unit's subtree, not resolved by a closed month; or paid and since cancelled, not yet
recovered) into a temporary table of this session; the callbacks are streamed for the
same ids (callbacks.evaluation.states), and this stream brings each policy's own facts,
its receipt and what the ledger already did with it. Like the callbacks' reading, dates
come as days since 1970 and moments as microseconds: cheap to turn into Python values.
"""

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from django.db import connection

from pinzhi.callbacks.candidates import CHANGED, ended_before_sql
from pinzhi.callbacks.models import CallbackStatus
from pinzhi.callbacks.reading import _days, _stream, _us, day, moment
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, PolicyStatus, Product, cooling_off_cancelled_on
from pinzhi.receipts.models import Receipt

from . import rules
from .models import LedgerLine

SCOPE = "pz_st_scope"
DERIVE = "pz_st_derive"  # the ids of SCOPE whose callback is derived from its facts
RESOLVING = ", ".join(f"'{a}'" for a in sorted(rules.RESOLVING))


def _t(model) -> str:
    return model._meta.db_table


def _history_sql() -> str:
    """Per policy, what the closed months before the one settled did with it."""
    return (f"SELECT policy_id, "
            f"MAX(CASE WHEN action IN ({RESOLVING}) THEN action END) AS resolved, "
            f"SUM(CASE WHEN action = 'pay' THEN amount_fen WHEN action = 'deduct' "
            f"THEN -amount_fen ELSE 0 END) AS net_paid, "
            f"MAX(CASE WHEN action = 'recover' THEN 1 ELSE 0 END) AS recovered "
            f"FROM {_t(LedgerLine)} WHERE month < %s AND policy_id IS NOT NULL "
            f"AND action <> 'adjust' GROUP BY policy_id")


def create_scope(*, month: dt.date, scope_path: str = "", agent_id: int | None = None,
                 id_range: tuple[int, int] | None = None) -> tuple[int, int]:
    """Fill the session's temporary table SCOPE with the ids, history and agent path of
    the policies the month settles, and DERIVE with those whose callback state at the
    cutoff must be derived from the facts: the others' stored state ended before the
    cutoff and still follows from their facts (callbacks.candidates.ended_before_sql).
    Returns (policies, derived)."""
    ops = connection.ops
    drop_scope()
    reusable = ended_before_sql(rules.cutoff_at(month), scope_path)
    reuse_join, reuse_sql, reuse_params = reusable or ("", "(1 = 0)", [])
    cutoff = ops.adapt_datefield_value(rules.cutoff_day(month))
    first = ops.adapt_datefield_value(month)
    where, params = "", []
    if scope_path:
        where += " AND u.path LIKE %s"
        params.append(scope_path + "%")
    if agent_id is not None:
        where += " AND p.agent_id = %s"
        params.append(agent_id)
    if id_range is not None:
        where += " AND p.id >= %s AND p.id < %s"
        params += list(id_range)
    sql = (f"CREATE TEMPORARY TABLE {SCOPE} AS "
           f"SELECT p.id, u.path, h.resolved, h.net_paid, h.recovered, "
           f"CASE WHEN h.policy_id IS NULL THEN 0 ELSE 1 END AS entered, "
           f"CASE WHEN {reuse_sql} THEN 1 ELSE 0 END AS reuse "
           f"FROM {_t(Policy)} p JOIN {_t(Agent)} a ON a.id = p.agent_id "
           f"JOIN {_t(Unit)} u ON u.id = a.team_id "
           f"LEFT JOIN {_t(CallbackStatus)} c ON c.policy_id = p.id {reuse_join} "
           f"LEFT JOIN ({_history_sql()}) h ON h.policy_id = p.id "
           f"WHERE p.voided_at IS NULL AND p.printed_on < %s{where} "
           f"AND (h.resolved IS NULL OR (h.resolved = 'pay' AND h.recovered = 0 "
           f"AND p.status = %s))")
    with connection.cursor() as cur:
        cur.execute(sql, [*reuse_params, first, cutoff, *params,
                          PolicyStatus.COOLING_OFF_CANCELLED])
        cur.execute(f"CREATE TEMPORARY TABLE {DERIVE} AS SELECT id FROM {SCOPE} "
                    f"WHERE reuse = 0")
        if connection.vendor == "postgresql":
            cur.execute(f"CREATE INDEX ON {SCOPE} (id)")
            cur.execute(f"CREATE INDEX ON {DERIVE} (id)")
            cur.execute(f"ANALYZE {SCOPE}")
            cur.execute(f"ANALYZE {DERIVE}")
        cur.execute(f"SELECT count(*), coalesce(sum(1 - reuse), 0) FROM {SCOPE}")
        found, derived = cur.fetchone()
        return found, int(derived)


def drop_scope() -> None:
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {SCOPE}")
        cur.execute(f"DROP TABLE IF EXISTS {DERIVE}")
        cur.execute(f"DROP TABLE IF EXISTS {CHANGED}")


def policies() -> Iterator[tuple]:
    """(id, policy_no, agent_id, commission fen, printed days, effective days, long_term,
    status, status_on days, updated µs, team path, receipt collected days, entered,
    resolved, net paid fen, recovered, reuse, and where reuse: the stored callback's
    status, findings, phone_changed, ended µs) of the policies in SCOPE, by id."""
    return _stream(
        f"SELECT p.id, p.policy_no, p.agent_id, p.commission_fen, {_days('p.printed_on')}, "
        f"{_days('p.effective_on')}, pr.long_term, p.status, {_days('p.status_on')}, "
        f"{_us('p.updated_at')}, s.path, {_days('r.collected_on')}, s.entered, s.resolved, "
        f"s.net_paid, s.recovered, s.reuse, c.status, c.findings, c.phone_changed, "
        f"{_us('c.ended_at')} FROM {SCOPE} s JOIN {_t(Policy)} p ON p.id = s.id "
        f"JOIN {_t(Product)} pr ON pr.id = p.product_id "
        f"LEFT JOIN {_t(Receipt)} r ON r.policy_id = p.id AND r.voided_at IS NULL "
        f"LEFT JOIN {_t(CallbackStatus)} c ON c.policy_id = p.id AND s.reuse = 1 "
        f"ORDER BY p.id", [])


@lru_cache(maxsize=16384)  # a million policies fall on a few hundred days
def _day(days: int) -> dt.date:
    return day(days)


def facts_of(row: tuple) -> tuple[rules.PolicyFacts, rules.History]:
    (_id, _no, _agent, commission, printed, effective, long_term, status, status_on,
     updated, _path, collected, entered, resolved, net_paid, recovered) = row[:16]
    cancelled_on = cooling_off_cancelled_on(status, day(status_on), moment(updated))
    policy = rules.PolicyFacts(commission, _day(printed), _day(effective), bool(long_term),
                               cancelled_on, None if collected is None else _day(collected))
    history = rules.History(bool(entered), resolved, int(net_paid or 0), bool(recovered))
    return policy, history


def stored_callback(row: tuple, undecided: set[int]) -> rules.CallbackFacts | None:
    """The stored callback state of a reused row (see create_scope), or None."""
    if not row[16]:
        return None
    status, findings, phone_changed, ended = row[17:21]
    # Only a manual callback's success finds the number changed: its verdict ended it.
    verdict_on = moment(ended).astimezone(rules.SHANGHAI).date() if phone_changed else None
    return rules.CallbackFacts(status, bool(findings) and row[0] in undecided,
                               bool(phone_changed), verdict_on)
