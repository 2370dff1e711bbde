"""`pinzhi settle` over the large demo company (issue 6): November 2026, the first month
settled, so every policy printed before its cutoff is in scope (≈ 1,000,000), then its
close, then December over what November left withheld; each with its wall time and the
peak memory of its process, against PostgreSQL's own COPY of as many ledger rows (the
draft's, dumped and loaded into a bare table of the ledger's shape). Then the same month
on SQLite, from a copy of the same facts. Goal: < 60 s, <= 10x COPY, memory that does not
grow with the month; reported, never asserted.
"""

import datetime as dt
import sqlite3
import time

import pytest

from .conftest import BENCH_DIR, PINZHI, report, run_measured

pytestmark = pytest.mark.bench

MONTH, NEXT = "2026-11", "2026-12"
# What the settlement reads, copied to SQLite for its figure there.
SQLITE_TABLES = ("org_unit", "org_agent", "policies_product", "policies_policy",
                 "receipts_receipt", "callbacks_callbackattempt", "callbacks_contactupdate",
                 "callbacks_callbackrequest", "quality_violationtype", "quality_case",
                 "accounts_user", "callbacks_callbackstatus", "callbacks_evaluationrun")


def users():
    from pinzhi.accounts.models import Role, User

    for name in ("bench_a", "bench_b"):
        User.objects.create(username=name, role=Role.ADMIN, is_active=True)


def copy_baseline(connection, tmp_path, settlement_id: int) -> tuple[float, int]:
    """PostgreSQL's COPY of the draft's lines into a bare table of the ledger's shape."""
    from pinzhi.settlement.models import DraftLine, LedgerLine

    dump = tmp_path / "lines.copy"
    columns = "settlement_id, month, policy_id, agent_id, action, amount_fen, reasons, " \
              "rule_version, enters"
    with connection.cursor() as cur, open(dump, "wb") as out:
        with cur.cursor.copy(f"COPY (SELECT {columns} FROM {DraftLine._meta.db_table} "
                             f"WHERE settlement_id = {settlement_id}) TO STDOUT") as copy:
            for chunk in copy:
                out.write(chunk)
        cur.execute(f"CREATE TEMPORARY TABLE bench_lines AS SELECT {columns} FROM "
                    f"{LedgerLine._meta.db_table} WHERE false")
        start = time.perf_counter()
        with open(dump, "rb") as f, cur.cursor.copy(
                f"COPY bench_lines ({columns}) FROM STDIN") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        cur.execute("SELECT count(*) FROM bench_lines")
        rows = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_lines")
    return seconds, rows


def settlement(month: str):
    from pinzhi.settlement.models import Settlement
    from pinzhi.settlement.rules import parse_month

    return Settlement.objects.filter(month=parse_month(month)).first()


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


def copy_to_sqlite(connection, path) -> dict[str, int]:
    """The facts the settlement reads, from PostgreSQL into a migrated SQLite file."""
    copied = {}
    target = sqlite3.connect(path)
    target.execute("PRAGMA foreign_keys = OFF")
    for table in SQLITE_TABLES:
        target.execute(f"DELETE FROM {table}")  # what the migrations seeded (the catalogue)
        with connection.chunked_cursor() as cur:
            cur.execute(f"SELECT * FROM {table}")
            names = [c.name for c in cur.cursor.description]
            marks = ", ".join("?" * len(names))
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"
            copied[table] = 0
            while rows := cur.fetchmany(20_000):
                target.executemany(sql, [tuple(_sqlite_value(v) for v in r) for r in rows])
                copied[table] += len(rows)
        target.commit()
    target.execute("ANALYZE")
    target.close()
    return copied


def test_settle_a_month_of_the_large_company(large_company, postgres, tmp_path):
    url = large_company.url
    users()
    # As loaded: the receipts and paper were recorded after the last evaluation, so the
    # stored states of their policies are not trusted; every such callback is derived.
    first_s, first_mib, first_out = run_measured([PINZHI, "settle", MONTH, "--by", "bench_a"],
                                                 url)
    postgres.close()
    november = settlement(MONTH)
    copy_s, copy_rows = copy_baseline(postgres, tmp_path, november.pk)
    # As the schedule leaves it: an evaluation ran since the last fact was recorded.
    eval_s, eval_mib, eval_out = run_measured([PINZHI, "evaluate"], url)
    again_s, again_mib, again_out = run_measured([PINZHI, "settle", MONTH, "--by", "bench_a"],
                                                 url)
    close_s, close_mib, close_out = run_measured(
        [PINZHI, "settle", MONTH, "--close", "--by", "bench_b"], url)
    next_s, next_mib, next_out = run_measured([PINZHI, "settle", NEXT, "--by", "bench_a"], url)
    postgres.close()
    november, december = settlement(MONTH), settlement(NEXT)

    lite = BENCH_DIR / "settle.sqlite3"
    lite.unlink(missing_ok=True)
    lite_url = f"sqlite:///{lite}"
    run_measured([PINZHI, "migrate", "-v", "0"], lite_url)
    start = time.perf_counter()
    copied = copy_to_sqlite(postgres, lite)
    copy_to_sqlite_s = time.perf_counter() - start
    lite_s, lite_mib, lite_out = run_measured([PINZHI, "settle", MONTH, "--by", "bench_a"],
                                              lite_url)
    lite.unlink(missing_ok=True)

    print(f"\n{'pinzhi settle':<44}{'seconds':>8}{'x COPY':>8}{'peak MiB':>9}{'lines':>10}")
    for name, seconds, mib, lines in (
            (f"{MONTH} draft, as loaded", first_s, first_mib, november.lines),
            ("evaluate (the schedule's run)", eval_s, eval_mib, None),
            (f"{MONTH} draft again, after it", again_s, again_mib, november.lines),
            (f"{MONTH} --close (into the ledger)", close_s, close_mib, november.lines),
            (f"{NEXT} draft (after {MONTH} closed)", next_s, next_mib, december.lines),
            (f"{MONTH} draft on SQLite", lite_s, lite_mib, None)):
        print(f"{name:<44}{seconds:>8.1f}{seconds / copy_s:>8.1f}{mib:>9}{lines or '':>10}")
    print(f"{'PostgreSQL COPY, ' + str(copy_rows) + ' ledger rows':<44}{copy_s:>8.1f}")
    print(first_out.strip(), eval_out.strip(), again_out.strip(), close_out.strip(),
          next_out.strip(), lite_out.strip(), sep="\n")
    report("settle", month=MONTH, policies=november.policies, lines=november.lines,
           seconds_first=round(first_s, 1), seconds_compute_only=november.seconds,
           seconds_again=round(again_s, 1), seconds_evaluate=round(eval_s, 1),
           ratio_again_to_copy=round(again_s / copy_s, 1), seconds_close=round(close_s, 1),
           seconds_next_month=round(next_s, 1), next_month_policies=december.policies,
           next_month_lines=december.lines, peak_mib_first=first_mib,
           peak_mib_next_month=next_mib, copy_seconds=round(copy_s, 2), copy_rows=copy_rows,
           ratio_first_to_copy=round(first_s / copy_s, 1),
           sqlite_seconds=round(lite_s, 1), sqlite_peak_mib=lite_mib,
           sqlite_copy_in_seconds=round(copy_to_sqlite_s, 1), sqlite_rows=copied)
