"""`pinzhi evaluate` over the large demo company with its callbacks (1,000,000 policies):
the first run (every state written), a second run for the same moment as the schedule
runs it (only the policies whose state may have changed), and again over every policy
(nothing changes), each with its wall time and memory, against PostgreSQL's own COPY of
as many rows of the CallbackStatus shape. Goal: < 60 s and <= 10x COPY; reported, never
asserted. A run over everything may fork worker processes: one in one process is measured
too.

Then what the paper adds (rules §5, §7.3, §7.4): each area's evaluate function (receipts,
valuable documents, notices), run on its own after the callbacks', first with none of its
cases recorded (every case written), then again for the same moment (nothing changes);
the cases recorded are those the rules' pure functions give for the files' facts; and
`pinzhi evaluate --as-of` over every area, as the schedule runs it.

`PINZHI_BENCH_PROFILE=1` adds a profiled run (cProfile, one process, every state written
again): the top functions are printed and the stats kept in var/bench/evaluate.prof.
"""

import json
import os
import sys
import time

import pytest

from .conftest import BENCH_DIR, LARGE_UNTIL, PAPER_KINDS, PINZHI, report, run_measured

pytestmark = pytest.mark.bench

AS_OF = f"{LARGE_UNTIL}T00:00:00+08:00"  # the demo's moment: what the files end with

# The run itself, in a child process like `pinzhi evaluate`: its own timing (without
# Python's and Django's start), and its memory: the peak RSS growth of the process, and,
# since a run over everything may fork worker processes, the peak PSS (shared pages
# counted once) of the whole process tree, sampled every 0.25 s from /proc.
CHILD = """
import cProfile, inspect, io, json, os, pstats, resource, sys, threading, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinzhi.settings")
import django
django.setup()
from pinzhi.callbacks.evaluation import evaluate
from pinzhi.core.importing.parsers import timestamp

def tree(pid):
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return pids

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(l.split()[1]) for l in f if l.startswith("Pss:")), 0)
    except OSError:
        return 0

peak = {"kb": 0, "procs": 1}
stop = threading.Event()

def sample():
    while not stop.wait(0.25):
        pids = tree(os.getpid())
        kb = sum(pss_kb(p) for p in pids)
        if kb > peak["kb"]:
            peak.update(kb=kb, procs=len(pids))

as_of, mode = timestamp(sys.argv[1]), sys.argv[2]
options = {"as_of": as_of}
if mode != "auto":  # recompute everything, not only what may have changed
    options["full"] = True
if mode not in ("auto", "full"):
    options["workers"] = 1  # one process (a profile sees only its own process)
base_rss, base_pss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, pss_kb(os.getpid())
threading.Thread(target=sample, daemon=True).start()
profiler = cProfile.Profile() if mode.endswith(".prof") else None
start = time.perf_counter()
result = profiler.runcall(evaluate, **options) if profiler else evaluate(**options)
seconds = time.perf_counter() - start
stop.set()
rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_rss
if profiler:
    profiler.dump_stats(mode)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print(out.getvalue(), file=sys.stderr)
print("RESULT", json.dumps({
    "seconds": seconds, "rss_growth_mib": rss_growth // 1024,
    "worker_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    "tree_pss_peak_mib": peak["kb"] // 1024,
    "tree_pss_growth_mib": max(0, peak["kb"] - base_pss) // 1024, "processes": peak["procs"],
    "policies": result.policies, "changed": result.changed,
    "flags_changed": result.flags_changed, "manual_opened": result.manual_opened,
    "told": result.told, "summary": result.summary()}))
"""


# One area's evaluate function, in a child process: its own time and memory, the cases
# it recorded and voided.
PAPER_CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinzhi.settings")
import django
django.setup()
from pinzhi.core.importing.parsers import timestamp
from pinzhi.documents.evaluation import documents_evaluate
from pinzhi.notices.evaluation import notices_evaluate
from pinzhi.receipts.evaluation import receipts_evaluate

area, as_of = sys.argv[1], timestamp(sys.argv[2])
evaluate = {"receipts": receipts_evaluate, "valuable_documents": documents_evaluate,
            "notices": notices_evaluate}[area]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = evaluate(as_of=as_of)
seconds = time.perf_counter() - start

def n(v):
    return len(v) if isinstance(v, list) else v

print("RESULT", json.dumps({
    "seconds": seconds, "recorded": n(result.recorded), "voided": n(result.voided),
    "rss_growth_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024,
    "summary": result.summary()}))
"""
# The rule keys of each area's cases (pinzhi.receipts.rules.RULE, documents.rules.RULE_PREFIX,
# notices.models.rule_key).
RULE_PREFIXES = {"receipts": "receipts.not_returned:", "valuable_documents": "documents.overdue:",
                 "notices": "notices.case:"}


def paper_measured(url: str, area: str) -> dict:
    wall, peak_mib, out = run_measured([sys.executable, "-c", PAPER_CHILD, area, AS_OF], url)
    return {**json.loads(out.rsplit("RESULT", 1)[1]), "wall": wall, "peak_mib": peak_mib}


def forget_rule_cases(connection) -> dict[str, int]:
    """As if the paper's rules never ran (the imports record their cases as of the time
    they run): the next run of each area records every case as of the moment."""
    from pinzhi.quality.models import Case

    forgotten = {}
    with connection.cursor() as cur:
        for area, prefix in RULE_PREFIXES.items():
            cur.execute(f"DELETE FROM {Case._meta.db_table} WHERE rule_key LIKE %s",
                        [prefix + "%"])
            forgotten[area] = cur.rowcount
    connection.close()
    return forgotten


def replayed_cases(files) -> dict[str, int]:
    """The cases the rules' pure functions give for the files' facts on the moment's day."""
    import datetime as dt

    from ..demo.replay import read_files, rule_cases

    codes = {"receipt_not_returned": "receipts", "documents_overdue": "valuable_documents",
             "notice_late": "notices", "notice_harm": "notices"}
    counts = dict.fromkeys(PAPER_KINDS, 0)
    for _, code, _, _ in rule_cases(read_files(files), dt.date.fromisoformat(LARGE_UNTIL)):
        counts[codes[code]] += 1
    return counts


def evaluate_measured(url: str, mode: str = "auto") -> dict:
    """`mode`: auto (as `pinzhi evaluate` runs: only what may have changed since the last
    run), full (every policy), one (every policy, one process), or a .prof path."""
    wall, peak_mib, out = run_measured([sys.executable, "-c", CHILD, AS_OF, mode], url)
    figures = json.loads(out.rsplit("RESULT", 1)[1])
    return {**figures, "wall": wall, "peak_mib": peak_mib}


def forget_states(connection) -> None:
    """As if never evaluated: the next run writes every policy's state."""
    from pinzhi.callbacks.models import CallbackStatus

    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {CallbackStatus._meta.db_table}")
    connection.close()


def copy_baseline_seconds(connection, tmp_path) -> tuple[float, int]:
    """PostgreSQL's own COPY of the stored states (1,000,000 rows of the CallbackStatus
    shape) into a bare temporary table: no checks, no indexes, no upsert."""
    from pinzhi.callbacks.models import CallbackStatus

    table = CallbackStatus._meta.db_table
    dump = tmp_path / "states.copy"
    with connection.cursor() as cur, open(dump, "wb") as out:
        with cur.cursor.copy(f"COPY {table} TO STDOUT") as copy:
            for chunk in copy:
                out.write(chunk)
        cur.execute("SELECT count(*) FROM " + table)
        rows = cur.fetchone()[0]
        cur.execute(f"CREATE TEMPORARY TABLE bench_states AS SELECT * FROM {table} WHERE false")
        start = time.perf_counter()
        with open(dump, "rb") as f, cur.cursor.copy("COPY bench_states FROM STDIN") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - start
        cur.execute("DROP TABLE bench_states")
    return seconds, rows


def test_evaluate_the_large_company(large_company, postgres, tmp_path):
    url = large_company.url
    forget_states(postgres)
    first = evaluate_measured(url, "full")
    second = evaluate_measured(url)  # a scheduled run: only what may have changed
    full = evaluate_measured(url, "full")  # every policy again
    one = evaluate_measured(url, "one")  # the same, in one process: no worker
    assert first["policies"] == large_company.rows["policies"]
    assert first["changed"] == first["policies"]  # every state written
    for run in (second, full, one):  # the same moment: nothing changes
        assert run["changed"] == run["flags_changed"] == 0
    copy_s, copy_rows = copy_baseline_seconds(postgres, tmp_path)
    assert copy_rows == first["policies"]
    postgres.close()
    profiled = None
    if os.environ.get("PINZHI_BENCH_PROFILE"):
        forget_states(postgres)
        profiled = evaluate_measured(url, str(BENCH_DIR / "evaluate.prof"))

    runs = [("first run (all states written)", first),
            ("second run, as scheduled (may have changed)", second),
            ("second run, every policy", full), ("second run, every policy, one process", one)
            ] + (
        [("first run, one process, cProfile", profiled)] if profiled else [])
    print(f"\n{'evaluate --as-of ' + AS_OF:<42}{'seconds':>8}{'x COPY':>8}{'procs':>6}"
          f"{'RSS growth':>11}{'tree PSS':>10}{'changed':>9}")
    for name, run in runs:
        print(f"{name:<42}{run['seconds']:>8.1f}{run['seconds'] / copy_s:>8.1f}"
              f"{run['processes']:>6}{run['rss_growth_mib']:>7} MiB"
              f"{run['tree_pss_peak_mib']:>6} MiB{run['changed']:>9}")
    print(f"{'PostgreSQL COPY, ' + str(copy_rows) + ' rows, bare table':<42}{copy_s:>8.1f}"
          f"{1:>8.1f}{1:>6}")
    print(f"first run: {first['summary']}\nload (s): {large_company.seconds}")
    report("evaluate_callbacks", policies=first["policies"],
           attempts=large_company.rows["callback_attempts"],
           first_seconds=round(first["seconds"], 1), first_wall=round(first["wall"], 1),
           first_changed=first["changed"], first_processes=first["processes"],
           first_rss_growth_mib=first["rss_growth_mib"],
           first_worker_peak_rss_mib=first["worker_peak_rss_mib"],
           first_tree_pss_peak_mib=first["tree_pss_peak_mib"],
           second_seconds=round(second["seconds"], 1), second_policies=second["policies"],
           full_second_seconds=round(full["seconds"], 1),
           second_rss_growth_mib=second["rss_growth_mib"],
           second_tree_pss_peak_mib=second["tree_pss_peak_mib"],
           one_process_second_seconds=round(one["seconds"], 1),
           one_process_rss_growth_mib=one["rss_growth_mib"],
           copy_seconds=round(copy_s, 2),
           ratio_first_to_copy=round(first["seconds"] / copy_s, 1),
           ratio_second_to_copy=round(second["seconds"] / copy_s, 1),
           ratio_full_second_to_copy=round(full["seconds"] / copy_s, 1),
           goal_seconds=60, goal_ratio=10,
           profiled_seconds=round(profiled["seconds"], 1) if profiled else None,
           load_seconds=large_company.seconds)

    evaluate_the_paper(large_company, postgres, second)


def evaluate_the_paper(large_company, postgres, callbacks_second: dict) -> None:
    """What receipts, documents and notices add to `pinzhi evaluate` (rules §5, §7.3,
    §7.4), each area on its own after the callbacks'."""
    url = large_company.url
    at_import = forget_rule_cases(postgres)
    first = {area: paper_measured(url, area) for area in PAPER_KINDS}
    second = {area: paper_measured(url, area) for area in PAPER_KINDS}
    expected = replayed_cases(large_company.files)
    for area in PAPER_KINDS:
        assert first[area]["recorded"] == expected[area], (area, first[area]["summary"])
        assert second[area]["recorded"] == second[area]["voided"] == 0, second[area]
    # The whole command, as the schedule runs it: every area, the same moment again.
    wall, peak, out = run_measured([PINZHI, "evaluate", "--as-of", AS_OF], url)
    print(f"\n{'evaluate --as-of ' + AS_OF + ', one area':<42}{'seconds':>8}{'cases':>8}"
          f"{'RSS growth':>11}   second run{'seconds':>8}{'changed':>8}")
    print(f"{'callbacks (as scheduled)':<42}{callbacks_second['seconds']:>8.1f}{'':>8}"
          f"{callbacks_second['rss_growth_mib']:>7} MiB")
    for area in PAPER_KINDS:
        f, s = first[area], second[area]
        print(f"{area + ' (every case written)':<42}{f['seconds']:>8.1f}{f['recorded']:>8}"
              f"{f['rss_growth_mib']:>7} MiB   {'':>10}{s['seconds']:>8.1f}"
              f"{s['recorded'] + s['voided']:>8}")
    print(f"pinzhi evaluate (all areas, again): {wall:.1f} s wall, {peak} MiB peak\n"
          + out.strip())
    rows = large_company.rows
    report("evaluate_paper", policies=rows["policies"], receipts=rows["receipts"],
           documents=rows["valuable_documents"], notices=rows["notices"],
           callbacks_second_seconds=round(callbacks_second["seconds"], 1),
           **{f"{area}_first_seconds": round(first[area]["seconds"], 1)
              for area in PAPER_KINDS},
           **{f"{area}_cases": first[area]["recorded"] for area in PAPER_KINDS},
           **{f"{area}_second_seconds": round(second[area]["seconds"], 1)
              for area in PAPER_KINDS},
           **{f"{area}_rss_growth_mib": first[area]["rss_growth_mib"] for area in PAPER_KINDS},
           paper_second_seconds=round(sum(second[a]["seconds"] for a in PAPER_KINDS), 1),
           evaluate_all_wall=round(wall, 1), evaluate_all_peak_mib=peak,
           cases_at_import=at_import,
           import_seconds={k: large_company.seconds[k] for k in PAPER_KINDS})
