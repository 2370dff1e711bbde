"""Rows into a table in one round trip per batch: COPY on PostgreSQL, executemany on
SQLite. Heavy runs (the settlement's draft, the indicators' precomputed figures) write
through here rather than saving models one by one."""

from collections.abc import Sequence

from django.db import connection


def write_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> int:
    """Append `rows` (values in `columns`' order, adapted for the database) to `table`."""
    if not rows:
        return 0
    names = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    return len(rows)
