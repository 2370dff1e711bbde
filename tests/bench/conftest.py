"""Benchmarks: `make bench` runs them on PostgreSQL; `make test` skips them (marker `bench`).

They print their figures and append them to var/bench/results.jsonl; goals are reported,
never asserted as timings.
"""

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(settings.VAR_DIR) / "bench"
PINZHI = str(Path(sys.executable).with_name("pinzhi"))


def database_url(connection) -> str:
    s = connection.settings_dict
    user, host, port = s["USER"] or "postgres", s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{s['NAME']}"


def run_measured(args: list[str], env_url: str) -> tuple[float, int, str]:
    """Run a command in a child; return (seconds, peak RSS in MiB of that child, stdout)."""
    wrapper = (
        "import resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr);"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr);"
        "sys.exit(r.returncode)"
    )
    env = {**os.environ, "DATABASE_URL": env_url}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], env=env, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise AssertionError(f"{args} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    peak_kb = int(proc.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return seconds, peak_kb // 1024, proc.stdout


def report(name: str, **figures) -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    line = {"bench": name, "at": time.strftime("%Y-%m-%d %H:%M:%S"), **figures}
    with open(BENCH_DIR / "results.jsonl", "a") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"\nBENCH {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


LARGE_UNTIL = "2026-11-01"  # the large files' last day; their moment is its 00:00
# Loaded in this order (the demo's), the cases aside: they are the scores bench's own.
LARGE_KINDS = ("units", "agents", "products", "policies", "callback_requests",
               "contact_updates", "callback_attempts", "receipts", "valuable_documents",
               "notices")
PAPER_KINDS = ("receipts", "valuable_documents", "notices")
# The generator's sources: files written by another version are made again.
GENERATOR = ("generator", "policies", "callbacks", "cases", "paper", "data", "people")
SCALE_CASES = 200_000  # issue 3: scores over at least this many cases


def generator_stamp() -> str:
    digest = hashlib.sha256()
    for name in GENERATOR:
        digest.update((ROOT / "pinzhi" / "demo" / f"{name}.py").read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def large_demo_files():
    """The large demo company's feed files (generated once, kept under var/bench, made
    again when the generator changed)."""
    from pinzhi.demo.generator import FILES

    out = BENCH_DIR / "large-1"
    stamp = out / "generator.sha256"
    current = generator_stamp()
    fresh = stamp.exists() and stamp.read_text() == current
    if not (fresh and all((out / f"{kind}.csv").exists() for kind in FILES)):
        for old in out.glob("*.csv"):
            old.unlink()
        subprocess.run([PINZHI, "demo", "--size", "large", "--seed", "1", "--until",
                        LARGE_UNTIL, "--files-only", "--out", str(out)], check=True)
        stamp.write_text(current)
    return out


@pytest.fixture(scope="session")
def large_scale_cases(large_demo_files) -> Path:
    """200,000 cases found by people on the large company's agents and policies, for the
    scores bench at issue 3's scale: the demo's own cases.csv holds ~10,000 (the rules
    make the receipts', documents' and notices' cases). Drawn from a stream of its own,
    by the demo's case writer; kept beside the large files."""
    import datetime as dt
    import random

    from pinzhi.demo.cases import CaseWriter
    from pinzhi.demo.generator import company_agents, year_start

    path = large_demo_files / f"cases-{SCALE_CASES // 1000}k.csv"
    if not path.exists():
        until = dt.date.fromisoformat(LARGE_UNTIL)
        agents = company_agents(size="large", seed=1, until=until)
        CaseWriter(random.Random("bench-cases-1"), agents, until, year_start(until)).write(
            path, large_demo_files / "policies.csv", SCALE_CASES)
    return path


@dataclass
class LoadedCompany:
    files: Path
    url: str
    rows: dict[str, int]
    seconds: dict[str, float]  # of each `pinzhi import`, in a child process


@pytest.fixture
def large_company(postgres, large_demo_files) -> LoadedCompany:
    """The large demo company with its callbacks (1,000,000 policies, their attempts,
    contact updates and requests) and its paper (receipts, valuable documents, notices),
    loaded by `pinzhi import` as the demo loads it: each callback file's import evaluates
    every policy, each paper file's records its rule's cases as of the time it runs.
    Several minutes."""
    url = database_url(postgres)
    rows, seconds = {}, {}
    for kind in LARGE_KINDS:
        path = large_demo_files / f"{kind}.csv"
        with open(path, encoding="utf-8") as f:
            rows[kind] = sum(1 for _ in f) - 1
        seconds[kind], _, out = run_measured([PINZHI, "import", kind, str(path)], url)
        assert f"{rows[kind]} rows, created {rows[kind]}" in out, out[-2000:]
    postgres.close()  # the children changed the tables: no stale connection state
    return LoadedCompany(large_demo_files, url, rows,
                         {k: round(v, 1) for k, v in seconds.items()})


@pytest.fixture
def postgres(transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("benchmarks run on PostgreSQL (make bench sets DATABASE_URL)")
    return connection


# What the migrations seed (module, function, a model it fills): a transactional test's
# flush empties these tables too, and the benches after it would find no calendar, no
# catalogue and no objectives.
MIGRATION_SEEDS = (
    ("pinzhi.core.migrations.0002_calendar_and_parameters", "seed_calendar", "core.CalendarDay"),
    ("pinzhi.quality.migrations.0002_seed_catalogue", "seed", "quality.ViolationType"),
    ("pinzhi.reports.migrations.0003_default_targets", "forwards", "reports.Target"),
)


def seed_as_migrated() -> None:
    """Seed again what the migrations seeded, where it is gone."""
    import importlib

    from django.apps import apps

    for module, function, model in MIGRATION_SEEDS:
        if not apps.get_model(model).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def seeds_restored(django_db_setup, django_db_blocker):
    """After the test's flush, the migrations' seeds again: for a bench that runs before
    others (files run in name order). Ask for it before `postgres` (or `large_company`),
    so that it is torn down after the flush."""
    yield
    with django_db_blocker.unblock():
        seed_as_migrated()
