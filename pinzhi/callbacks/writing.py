"""Writing an evaluation's changes in bulk: changed states and attempt flags collected in
batches into temporary tables (COPY on PostgreSQL), then one upsert and one update."""

import datetime as dt

from django.db import connection

from .models import CallbackAttempt, CallbackStatus
from .reading import CHUNK

STATUS_FIELDS = (
    "status", "round_1_opens_at", "round_1_failed_at", "round_2_opens_at",
    "round_2_failed_at", "manual_opened_at", "success_at", "ended_at", "next_call_at",
    "deadline_at", "attempts", "findings", "findings_undecided", "phone_changed", "phone",
    "phone_false", "condition_met",
)


class StatusWriter:
    """Changed states and flags collected in batches into staging tables, then written
    with one upsert and one update (COPY on PostgreSQL)."""

    def __init__(self):
        self.states: list[tuple] = []
        self.flags: list[tuple] = []
        self.n_states = self.n_flags = 0
        self.table = CallbackStatus._meta.db_table
        self.columns = ["policy_id"] + [CallbackStatus._meta.get_field(f).column
                                        for f in STATUS_FIELDS] + ["digest"]
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS pz_cb_state")
            cur.execute("DROP TABLE IF EXISTS pz_cb_flag")
            cur.execute(f"CREATE TEMPORARY TABLE pz_cb_state AS SELECT "
                        f"{', '.join(self.columns)} FROM {self.table} WHERE 1 = 0")
            cur.execute("CREATE TEMPORARY TABLE pz_cb_flag (id bigint, flag varchar(16))")

    def add_state(self, policy_id: int, row: tuple) -> None:
        self.states.append((policy_id, *row))
        if len(self.states) >= CHUNK:
            self._load("pz_cb_state", self.columns, self.states)
            self.n_states += len(self.states)
            self.states = []

    def add_flag(self, attempt_id: int, flag: str) -> None:
        self.flags.append((attempt_id, flag))
        if len(self.flags) >= CHUNK:
            self._load("pz_cb_flag", ["id", "flag"], self.flags)
            self.n_flags += len(self.flags)
            self.flags = []

    def _load(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                [_sqlite_row(r) for r in rows])

    def flush(self) -> tuple[int, int]:
        if self.states:
            self._load("pz_cb_state", self.columns, self.states)
            self.n_states += len(self.states)
        if self.flags:
            self._load("pz_cb_flag", ["id", "flag"], self.flags)
            self.n_flags += len(self.flags)
        cols = ", ".join(self.columns)
        sets = ", ".join(f"{c} = excluded.{c}" for c in self.columns[1:])
        attempts = CallbackAttempt._meta.db_table
        with connection.cursor() as cur:
            if self.n_states:
                cur.execute(f"INSERT INTO {self.table} ({cols}) SELECT {cols} FROM pz_cb_state "
                            f"WHERE true ON CONFLICT (policy_id) DO UPDATE SET {sets}")
            if self.n_flags:
                cur.execute(f"UPDATE {attempts} AS a SET flag = f.flag FROM pz_cb_flag f "
                            f"WHERE a.id = f.id")
            cur.execute("DROP TABLE pz_cb_state")
            cur.execute("DROP TABLE pz_cb_flag")
        return self.n_states, self.n_flags


def _sqlite_row(row: tuple) -> tuple:
    """SQLite keeps datetimes as UTC text, the way Django writes them."""
    return tuple(_sqlite_value(v) for v in row)


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return value

