"""The scale run (issue 9): a large insurer's peak month on PostgreSQL, timed, with peak
memory, once with one worker and once with two `--unit` workers side by side.

    make scale            # = .venv/bin/python -m tests.bench.scale

The company is the demo's `peak` size: 100,000 agents in six branches and 3,000,000 new
policies signed in one month (October 2026), with their callback attempts, contact
updates and requests, receipts, valuable documents, notices and cases. Steps, each a
`pinzhi` command in a child process (time and peak RSS of that process and its workers):

1. the feed files (`pinzhi demo --size peak --files-only`, kept under var/scale/files and
   made again when the generator changed);
2. the load: every file through `pinzhi import` into a fresh database (the callback
   files' imports evaluate their policies as the demo's do); kept as a template;
3. run A, one worker (PINZHI_EVALUATE_WORKERS=1), on a copy of the template:
   `pinzhi evaluate` as of 1 November 00:00, `pinzhi settle 2026-10`, the half-year's
   scores (`pinzhi export scores 2026H2`), the dashboards' figures and the head office's
   indicators page;
4. run B, on another copy: two processes side by side, each evaluating and then
   settling its half of the branches (`pinzhi evaluate --unit`, `pinzhi settle --unit`);
   then the same scores, figures and page;
5. the two runs' results compared (callback states, cases, settlement lines): equal.

Figures go to standard output, var/scale/results.json and, as a Markdown table, to
var/scale/results.md (copied into the README by hand, with the date and machine).
`SCALE_URL` names the server (default postgres://postgres@127.0.0.1:5432); `--size`
another demo size (`large` for a rehearsal), `--keep` keeps the databases.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINZHI = str(Path(sys.executable).with_name("pinzhi"))
OUT = ROOT / "var" / "scale"
UNTIL = "2026-10-31"
AS_OF = "2026-11-01T00:00"
MONTH, HALF = "2026-10", "2026H2"
KINDS = ("units", "agents", "products", "policies", "callback_requests", "contact_updates",
         "callback_attempts", "receipts", "valuable_documents", "notices", "cases")
GENERATOR = ("generator", "policies", "callbacks", "cases", "paper", "data", "people")
# Measures a child and its own children (the evaluation's and the draft's workers): the
# peak RSS of the largest process of the tree, and of the tree's sum is not available
# from getrusage; the largest single process is what decides a machine's size here.
MEASURED = (
    "import resource, subprocess, sys, time;"
    "t = time.perf_counter();"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
    "s = time.perf_counter() - t;"
    "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr);"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print('MEASURED', s, u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr);"
    "sys.exit(r.returncode)"
)


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def server() -> str:
    return os.environ.get("SCALE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def psql(sql: str, db: str = "postgres") -> str:
    done = subprocess.run(["psql", f"{server()}/{db}", "-XAtq", "-c", sql],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def fresh_database(name: str, template: str | None = None) -> str:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{server()}/{name}"


def data_key() -> str:
    """The scale databases' own data key (core/sealing.py), kept beside their files: every
    step, whatever checkout it runs from, opens what the load sealed."""
    if key := os.environ.get("PINZHI_DATA_KEY"):
        return key
    path = OUT / "data_key"
    if not path.exists():
        from pinzhi.core.sealing import new_key

        path.write_text(new_key())
    return path.read_text().strip()


def start(args: list[str], url: str, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MEASURED, *args], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "DATABASE_URL": url,
                                 "PINZHI_DATA_KEY": data_key(), **env})


def finish(proc: subprocess.Popen, what: str) -> dict:
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out[-3000:]}\n{err[-3000:]}")
    seconds, peak_kb, cpu = err.rsplit("MEASURED", 1)[1].split()
    return {"seconds": round(float(seconds), 1), "peak_mib": int(peak_kb) // 1024,
            "cpu_s": round(float(cpu), 1), "out": out}


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of every core since boot (/proc/stat): the share of the
    machine a step kept busy, the database server's work included."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def busy_since(before: tuple[int, int]) -> int:
    busy, total = machine_busy()
    return round(100 * (busy - before[0]) / max(total - before[1], 1))


def measured(args: list[str], url: str, what: str, **env) -> dict:
    log(f"{what}…")
    before = machine_busy()
    result = finish(start(args, url, **env), what)
    result["machine_busy_pct"] = busy_since(before)
    log(f"{what}: {result['seconds']} s, {result['peak_mib']} MiB, "
        f"machine {result['machine_busy_pct']}% busy")
    return result


# -- 1. files ------------------------------------------------------------------------------

def stamp() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR:
        digest.update((ROOT / "pinzhi" / "demo" / f"{name}.py").read_bytes())
    return digest.hexdigest()


def files(size: str) -> tuple[Path, dict]:
    out = OUT / f"files-{size}"
    marker = out / "generator.sha256"
    if marker.exists() and marker.read_text() == stamp() and all(
            (out / f"{k}.csv").exists() for k in KINDS):
        log(f"files: {out} (made before)")
        return out, {"seconds": None, "peak_mib": None}
    for old in out.glob("*.csv"):
        old.unlink()
    result = measured([PINZHI, "demo", "--size", size, "--until", UNTIL, "--files-only",
                       "--out", str(out)], f"{server()}/postgres", "files")
    marker.write_text(stamp())
    return out, result


def rows_of(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f) - 1


# -- 2. load -------------------------------------------------------------------------------

def load(folder: Path, template: str) -> dict:
    url = fresh_database(template)
    steps = {"migrate": measured([PINZHI, "migrate", "-v", "0"], url, "migrate")}
    for kind in KINDS:
        path = folder / f"{kind}.csv"
        steps[kind] = measured([PINZHI, "import", kind, str(path)], url,
                               f"import {kind} ({rows_of(path):,} rows)")
        steps[kind]["rows"] = rows_of(path)
    steps["users"] = measured([PINZHI, "shell", "-c", "from pinzhi.demo.users import "
                               "ensure_demo_users; ensure_demo_users()"], url, "demo users")
    psql("VACUUM ANALYZE", template)
    return steps


# -- 3, 4. the runs ------------------------------------------------------------------------

PAGE = (
    "import time; from django.test import Client; from pinzhi.accounts.models import User;"
    "c = Client(); c.force_login(User.objects.get(username='demo_hq'));"
    "t = time.perf_counter(); r = c.get('/indicators/', HTTP_HOST='127.0.0.1');"
    "assert r.status_code == 200, r.status_code;"
    "print('page', round(time.perf_counter() - t, 2), len(r.content))"
)


def company_wide(url: str, run: str) -> dict:
    steps = {}
    steps["scores"] = measured([PINZHI, "export", "scores", HALF, "--as-of", "2026-10-31",
                                "--out", str(OUT / f"scores-{run}.csv")], url,
                               f"{run}: scores {HALF}")
    steps["figures"] = measured([PINZHI, "shell", "-c", "import datetime as dt; from "
                                 "pinzhi.reports.snapshot import refresh_line; print("
                                 f"refresh_line(dt.datetime.fromisoformat('{AS_OF}+08:00')))"],
                                url, f"{run}: dashboards' figures")
    steps["page"] = measured([PINZHI, "shell", "-c", PAGE], url, f"{run}: indicators page",
                             PINZHI_ALLOWED_HOSTS="127.0.0.1")
    # the request's own time, without the process starting
    said = next(line for line in steps["page"]["out"].splitlines() if line.startswith("page"))
    steps["page"]["request_s"] = float(said.split()[1])
    return steps


def run_one_worker(template: str) -> dict:
    url = fresh_database("pinzhi_scale_one", template)
    one = {"PINZHI_EVALUATE_WORKERS": "1"}
    steps = {
        "evaluate": measured([PINZHI, "evaluate", "--as-of", AS_OF, "--no-figures"], url,
                             "A: evaluate", **one),
        "settle": measured([PINZHI, "settle", MONTH], url, f"A: settle {MONTH}", **one),
    }
    return steps | company_wide(url, "A")


def branches(url: str) -> list[tuple[str, int]]:
    """The branches, largest first, with their policies."""
    from urllib.parse import urlsplit

    db = urlsplit(url).path.lstrip("/")
    rows = psql("SELECT b.code, count(p.id) FROM org_unit b JOIN org_unit t ON t.path "
                "LIKE b.path || '%' JOIN org_agent a ON a.team_id = t.id JOIN "
                "policies_policy p ON p.agent_id = a.id WHERE b.level = 'branch' "
                "GROUP BY b.code ORDER BY 2 DESC", db)
    return [(code, int(n)) for code, n in (line.split("|") for line in rows.splitlines())]


def halves(sized: list[tuple[str, int]]) -> tuple[list[str], list[str]]:
    """Two workers' shares of the branches, as even in policies as greedy makes them."""
    shares, totals = ([], []), [0, 0]
    for code, n in sized:
        i = totals.index(min(totals))
        shares[i].append(code)
        totals[i] += n
    return shares


def worker_script(command: str, codes: list[str]) -> list[str]:
    """One worker: the command for each of its branches, one after the other, in one
    process tree (a shell)."""
    return ["bash", "-ec", "\n".join(command.format(code=c) for c in codes)]


def side_by_side(url: str, what: str, command: str, shares) -> dict:
    """The two workers at once; the step's time is the later one's."""
    log(f"B: {what}, side by side…")
    before, began = machine_busy(), time.perf_counter()
    procs = [start(worker_script(command, codes), url, PINZHI_EVALUATE_WORKERS="1")
             for codes in shares]
    results = [finish(p, f"B: {what}, worker {i + 1}") for i, p in enumerate(procs)]
    step = {"seconds": round(time.perf_counter() - began, 1),
            "peak_mib": max(r["peak_mib"] for r in results),
            "cpu_s": round(sum(r["cpu_s"] for r in results), 1),
            "machine_busy_pct": busy_since(before),
            "workers": [{"branches": codes, "seconds": r["seconds"], "peak_mib": r["peak_mib"]}
                        for codes, r in zip(shares, results, strict=True)]}
    log(f"B: {what}: {step['seconds']} s ({[r['seconds'] for r in results]}), "
        f"{step['peak_mib']} MiB, machine {step['machine_busy_pct']}% busy")
    return step


def run_two_workers(template: str) -> dict:
    url = fresh_database("pinzhi_scale_two", template)
    shares = halves(branches(url))
    log(f"B: worker 1 takes {shares[0]}, worker 2 takes {shares[1]}")
    steps = {
        "evaluate": side_by_side(url, "evaluate", f"{PINZHI} evaluate --unit {{code}} "
                                 f"--as-of {AS_OF} --no-figures", shares),
        "settle": side_by_side(url, f"settle {MONTH}", f"{PINZHI} settle {MONTH} "
                               f"--unit {{code}}", shares),
    }
    return steps | company_wide(url, "B")


# -- 5. the same results -------------------------------------------------------------------

COMPARED = {
    "callback states": "SELECT status, count(*), sum(attempts) FROM callbacks_callbackstatus "
                       "GROUP BY status ORDER BY status",
    "cases": "SELECT source, status, count(*) FROM quality_case GROUP BY source, status "
             "ORDER BY source, status",
    "settlement lines": "SELECT action, count(*), sum(amount_fen) FROM settlement_draftline "
                        "GROUP BY action ORDER BY action",
    "manual callbacks": "SELECT count(*), count(closed_at) FROM callbacks_manualcallback",
}


def compare() -> dict:
    found = {}
    for what, sql in COMPARED.items():
        one, two = psql(sql, "pinzhi_scale_one"), psql(sql, "pinzhi_scale_two")
        found[what] = {"equal": one == two, "one": one.splitlines(), "two": two.splitlines()}
        log(f"{what}: {'equal' if one == two else 'DIFFERENT'}")
    return found


# -- the report ----------------------------------------------------------------------------

def cell(step: dict) -> str:
    if not step.get("seconds"):
        return "–"
    busy = f", machine {step['machine_busy_pct']}% busy" if "machine_busy_pct" in step else ""
    return f"{step['seconds']} s, {step['peak_mib']} MiB{busy}"


def table(results: dict) -> str:
    lines = ["| step | one worker | two `--unit` workers side by side |", "| --- | --- | --- |"]
    for kind, step in results["load"].items():
        rows = f" ({step['rows']:,} rows)" if "rows" in step else ""
        lines.append(f"| load: {kind}{rows} | {cell(step)} | (the same load) |")
    a, b = results["one"], results["two"]
    lines.append(f"| `pinzhi evaluate` as of {AS_OF} | {cell(a['evaluate'])} | "
                 f"{cell(b['evaluate'])} |")
    lines.append(f"| `pinzhi settle {MONTH}` | {cell(a['settle'])} | {cell(b['settle'])} |")
    for name, label in (("scores", f"`pinzhi export scores {HALF}`"),
                        ("figures", "the dashboards' figures"),
                        ("page", "the head office's indicators page (process)")):
        lines.append(f"| {label} | {cell(a[name])} | {cell(b[name])} |")
    lines.append(f"| the page's request itself | {a['page']['request_s']} s | "
                 f"{b['page']['request_s']} s |")
    for step in ("evaluate", "settle"):
        for w in b[step]["workers"]:
            lines.append(f"| {step}, worker of {', '.join(w['branches'])} | | "
                         f"{w['seconds']} s, {w['peak_mib']} MiB |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="peak")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--reuse-load", action="store_true",
                        help="start from the loaded template of an earlier run")
    parser.add_argument("--load-only", action="store_true",
                        help="make the files and load them, no runs")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    template = f"pinzhi_scale_{args.size}_loaded"
    results = {"size": args.size, "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    folder, results["files"] = files(args.size)
    if args.reuse_load and psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'"):
        results["load"] = json.loads((OUT / "load.json").read_text())
        measured([PINZHI, "migrate", "-v", "0"], f"{server()}/{template}", "migrate")
    else:
        results["load"] = load(folder, template)
        (OUT / "load.json").write_text(json.dumps(_plain(results["load"]), indent=1))
    if args.load_only:
        return
    results["one"] = run_one_worker(template)
    results["two"] = run_two_workers(template)
    results["same"] = compare()
    results["database_size"] = psql(f"SELECT pg_size_pretty(pg_database_size('{template}'))")
    plain = _plain(results)
    (OUT / "results.json").write_text(json.dumps(plain, indent=1, ensure_ascii=False))
    (OUT / "results.md").write_text(table(plain))
    print(table(plain))
    if not args.keep:
        for db in ("pinzhi_scale_one", "pinzhi_scale_two"):
            psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    if not all(v["equal"] for v in results["same"].values()):
        raise SystemExit("the two runs' results differ: see var/scale/results.json")


def _plain(value):
    """The results without the commands' full output."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "out"}
    return value


if __name__ == "__main__":
    main()
