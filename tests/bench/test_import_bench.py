"""Import of 1,000,000 policy rows into PostgreSQL (issue 2): rows/s, the ratio to
PostgreSQL's own COPY of the same rows, and the import process's peak memory."""

import time

import pytest

from .conftest import PINZHI, database_url, report, run_measured

COPY_TABLE = """CREATE TABLE bench_copy (
    policy_no varchar(40), agent_code varchar(40), product_code varchar(40),
    applicant_name varchar(60), applicant_id_number varchar(30), applicant_phone varchar(20),
    insured_name varchar(60), insured_id_number varchar(30), premium numeric(14, 2),
    payment_mode varchar(10), commission numeric(14, 2), signed_on date, printed_on date,
    effective_on date, status varchar(24), status_on date)"""

pytestmark = pytest.mark.bench


def copy_seconds(connection, path) -> float:
    """PostgreSQL's own COPY of the same CSV into a typed table, no checks, no indexes."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_copy")
        cur.execute(COPY_TABLE)
        start = time.perf_counter()
        with open(path, "rb") as f, cur.cursor.copy(
            f"COPY bench_copy ({header}) FROM STDIN WITH (FORMAT csv, HEADER true)"
        ) as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        cur.execute("DROP TABLE bench_copy")
    return seconds


def copy_into_policy_table_seconds(connection, tmp_path) -> float:
    """The floor for any import: PostgreSQL's own COPY of the same rows, references already
    resolved, into the real policy table with its indexes and foreign keys (at commit)."""
    from pinzhi.policies.models import Policy

    table = Policy._meta.db_table
    cols = ", ".join(f.column for f in Policy._meta.concrete_fields if f.column != "id")
    dump = tmp_path / "resolved.copy"
    with connection.cursor() as cur, open(dump, "wb") as out:
        with cur.cursor.copy(f"COPY (SELECT {cols} FROM {table}) TO STDOUT") as copy:
            for chunk in copy:
                out.write(chunk)
        cur.execute(f"DELETE FROM {table}")
    start = time.perf_counter()
    with connection.cursor() as cur, open(dump, "rb") as f:
        cur.execute("BEGIN")
        with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        cur.execute("COMMIT")
    return time.perf_counter() - start


def test_import_a_million_policies(postgres, large_demo_files, tmp_path):
    url = database_url(postgres)
    for kind in ("units", "agents", "products"):
        run_measured([PINZHI, "import", kind, str(large_demo_files / f"{kind}.csv")], url)
    policies = large_demo_files / "policies.csv"
    rows = sum(1 for _ in open(policies, encoding="utf-8")) - 1

    small = tmp_path / "policies-100k.csv"
    with open(policies, encoding="utf-8") as src, open(small, "w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n > 100_000:
                break
            # Other policy numbers: the million rows below are then all new.
            dst.write(line if n == 0 else "Q" + line[1:])
    _, small_peak, _ = run_measured([PINZHI, "import", "policies", str(small)], url)
    postgres.close()
    copy_s = copy_seconds(postgres, policies)
    postgres.close()
    seconds, peak, out = run_measured([PINZHI, "import", "policies", str(policies)], url)
    again, _, out2 = run_measured([PINZHI, "import", "policies", str(policies)], url)
    assert f"{rows} rows" in out and f"unchanged {rows}" in out2
    postgres.close()
    floor = copy_into_policy_table_seconds(postgres, tmp_path)
    report("import_policies", rows=rows, seconds=round(seconds, 1),
           rows_per_s=int(rows / seconds), copy_seconds=round(copy_s, 1),
           ratio_to_copy=round(seconds / copy_s, 1),
           copy_into_policy_table_seconds=round(floor, 1),
           ratio_to_copy_into_policy_table=round(seconds / floor, 1), peak_mib=peak,
           peak_mib_100k_rows=small_peak, reimport_unchanged_seconds=round(again, 1))
