"""Computing a month: the one rule (`rules.settle_policy`) fed by streams, written in bulk.

`month_lines(...)` yields every line a month's settlement gives (of a unit's subtree, or
of one agent for his forecast) without writing anything; `DraftWriter` loads lines into
the draft table in batches (COPY on PostgreSQL, executemany on SQLite). Memory does not
grow with the month: policies are streamed in id order, the callbacks beside them.
"""

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from django.db import connection

from pinzhi.callbacks import evaluation as callbacks
from pinzhi.core.bulk import write_rows
from pinzhi.core.parameters import ParameterTable

from . import reading, rules
from .models import DraftLine

PRICE_KEYS = ("receipts.deadline_months", "receipts.late_deduction_fen",
              "settlement.phone_changed_deduction_fen")
BATCH = 20_000


class PolicyLine(NamedTuple):
    policy_id: int | None
    policy_no: str
    agent_id: int
    line: rules.Line


class Pricing:
    """The versions of the deductions' parameters in force on a day for a unit path."""

    def __init__(self):
        self.table = ParameterTable(PRICE_KEYS)
        self.cache: dict[tuple[dt.date, str], rules.Params] = {}
        self.plain = not any(self.table.versions.values())

    def params(self, day: dt.date, unit_path: str) -> rules.Params:
        if self.plain:
            return rules.DEFAULT
        key = (day, unit_path)
        if key not in self.cache:
            months, _ = self.table.labelled(PRICE_KEYS[0], on=day, unit_path=unit_path)
            late, late_v = self.table.labelled(PRICE_KEYS[1], on=day, unit_path=unit_path)
            phone, phone_v = self.table.labelled(PRICE_KEYS[2], on=day, unit_path=unit_path)
            self.cache[key] = rules.Params(int(months), int(late), int(phone), late_v, phone_v)
        return self.cache[key]

    def for_path(self, unit_path: str):
        if self.plain:
            return rules.default_params
        return lambda day: self.params(day, unit_path)


def month_lines(*, month: dt.date, scope_path: str = "", agent_id: int | None = None,
                id_range: tuple[int, int] | None = None,
                counts: dict | None = None) -> Iterator[PolicyLine]:
    """Every policy line of the month (adjustments aside), in policy order. `counts`,
    if given, receives the number of policies looked at."""
    found, derived = reading.create_scope(month=month, scope_path=scope_path,
                                          agent_id=agent_id, id_range=id_range)
    if counts is not None:
        counts["policies"], counts["derived"] = found, derived
    try:
        yield from _lines(month)
    finally:
        reading.drop_scope()


def _lines(month: dt.date) -> Iterator[PolicyLine]:
    pricing, cutoff = Pricing(), rules.cutoff_at(month)
    undecided = callbacks.undecided_findings(at=cutoff)
    states = callbacks.states(as_of=cutoff, table=reading.DERIVE)
    evaluated = next(states, None)
    for row in reading.policies():
        policy_id, policy_no, agent_id, unit_path = row[0], row[1], row[2], row[10]
        callback = reading.stored_callback(row, undecided)
        if callback is None:
            while evaluated is not None and evaluated.facts.id < policy_id:
                evaluated = next(states, None)
            if evaluated is not None and evaluated.facts.id == policy_id:
                callback = rules.callback_facts(evaluated.state, evaluated.row[12])
            else:  # cannot happen for a live policy; never pay on a missing state
                callback = rules.CallbackFacts(status="waiting")
        policy, history = reading.facts_of(row)
        for line in rules.settle_policy(policy, callback, history, month,
                                        pricing.for_path(unit_path)):
            yield PolicyLine(policy_id, policy_no, agent_id, line)


COLUMNS = ("settlement_id", "month", "policy_id", "agent_id", "action", "amount_fen",
           "reasons", "rule_version", "enters")


class DraftWriter:
    """Lines into the draft table in batches: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, settlement_id: int, month: dt.date):
        self.settlement_id, self.month = settlement_id, month
        self.rows: list[tuple] = []
        self.written = 0
        self.table = DraftLine._meta.db_table
        self.month_value = connection.ops.adapt_datefield_value(month)

    def add(self, item: PolicyLine) -> None:
        line = item.line
        self.rows.append((self.settlement_id, self.month_value, item.policy_id, item.agent_id,
                          line.action, line.amount_fen, ";".join(line.reasons),
                          line.rule_version, line.enters))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> int:
        if not self.rows:
            return self.written
        write_rows(self.table, COLUMNS, self.rows)
        self.written += len(self.rows)
        self.rows = []
        return self.written
