"""The operator of test_kill_restart.py, run in processes that the test kills.

`python -m tests.settlement.kill_driver` (DATABASE_URL naming the run's database) is a
zygote: it sets Django up once, then forks one child per request line read on standard
input. The child runs the operator's command sequence, `pinzhi settle M` then
`pinzhi settle M --close --by CLOSER` for each month, in its own process group, so that
one SIGKILL to the group kills it and the worker processes it forks. Forking a ready
interpreter instead of starting `pinzhi` for each run saves Django's start-up (0.7 s, two
runs per kill), which keeps the test within a minute. The zygote is the subreaper of
everything below it and reaps it, so that a killed run's pid is gone when the restart
finds its claim, as after a real crash.

The child logs each point it reaches (a step started or ended, a claim taken, a worker's
slice committed, the ledger written...) with the system's monotonic clock, and kills its
own group the n-th time it reaches the point a request names (`kill_at`, "point:n"):
deterministic kills where a random moment would seldom land, such as inside the close's
transaction, which lasts milliseconds.
"""

import functools
import json
import os
import signal
import sys
import time
import traceback
from contextlib import contextmanager

REQUEST_KEYS = ("months", "closer", "log", "points", "kill_at", "dump")
_run: dict = {"points": None, "kill_at": None, "hits": {}}


# -- the child: the operator, the points it reaches, the dump --------------------------


def reach(point: str) -> None:
    """Log `point`; kill the whole process group if the request named this hit."""
    hits = _run["hits"]
    hits[point] = hits.get(point, 0) + 1
    line = json.dumps({"point": point, "n": hits[point], "t": time.monotonic(),
                       "pid": os.getpid()}) + "\n"
    with open(_run["points"], "a", encoding="utf-8") as out:
        out.write(line)
    if _run["kill_at"] == f"{point}:{hits[point]}":
        os.killpg(0, signal.SIGKILL)


def operate(months: list[str], closer: str) -> None:
    """What an operator (or his cron job) runs, and runs again from the top after a
    crash: a month the crash found closed refuses to be computed or closed again, and
    is done."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    for month in months:
        for step, args in (("compute", [month]), ("close", [month, "--close", "--by", closer])):
            reach(f"{step} {month} start")
            try:
                call_command("settle", *args)
            except CommandError:
                if not _closed(month):
                    raise
                print(f"{step} {month}: refused, the month is closed")
            reach(f"{step} {month} end")


def _closed(month: str) -> bool:
    from pinzhi.settlement import rules
    from pinzhi.settlement.models import Settlement

    return Settlement.objects.filter(month=rules.parse_month(month), scope_path="",
                                     status=Settlement.Status.CLOSED).exists()


def _after(function, point: str):
    @functools.wraps(function)  # the same name: a pool pickles it by name
    def wrapper(*args, **kwargs):
        result = function(*args, **kwargs)
        reach(point)
        return result

    return wrapper


def _before(function, point: str):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        reach(point)
        return function(*args, **kwargs)

    return wrapper


def _claims_reported(claimed):
    @contextmanager
    def wrapper(**kwargs):
        with claimed(**kwargs) as claim:
            reach(f"{kwargs['what']}-claimed")
            yield claim
            reach(f"{kwargs['what']}-committed")  # the body's work done, claim still held

    return wrapper


def instrument() -> None:
    """The points, and worker processes on PostgreSQL for this small company too (the
    large month's path, as test_parallel.py does)."""
    from pinzhi.callbacks import evaluation
    from pinzhi.settlement import drafting, services

    evaluation.PARALLEL_FROM = 0
    evaluation._part_in_worker = _after(evaluation._part_in_worker,
                                        "evaluation-slice-committed")
    services.claimed = _claims_reported(services.claimed)
    services._evaluate_to_cutoff = _after(services._evaluate_to_cutoff, "evaluated")
    services._to_ledger = _after(services._to_ledger, "ledger-written")
    drafting._part = _after(drafting._part, "draft-slice-committed")
    drafting._finish = _before(drafting._finish, "draft-finishing")


def dump(path: str, months: list[str]) -> None:
    """Everything the settlement writes, without ids of its own or moments."""
    from pinzhi.core.models import Event
    from pinzhi.settlement import rules, statements
    from pinzhi.settlement.models import DraftLine, LedgerLine, RunClaim, Settlement

    line = ("settlement__month", "month", "policy_id", "agent_id", "action", "amount_fen",
            "reasons", "rule_version", "enters")
    events = [json.dumps(e, sort_keys=True, default=str) for e in Event.objects.filter(
        action__startswith="settlement.").values("action", "kind", "key", "actor__username",
                                                 "data")]
    state = {
        "settlements": list(Settlement.objects.order_by("month", "scope_path").values(
            "month", "scope_path", "unit_id", "status", "cutoff", "computed_by__username",
            "closed_by__username", "policies", "lines", "totals")),
        "ledger": sorted(LedgerLine.objects.values_list(*line), key=str),
        "drafts": sorted(DraftLine.objects.values_list(*line), key=str),
        "balances": {m: [(row.agent.code, row.totals.as_dict()) for row in
                         statements.per_agent(rules.parse_month(m))] for m in months},
        # A step killed after its commit is run again: computing twice is recorded
        # twice, with the same figures; a month closed twice would be a fault.
        "events computed": sorted({e for e in events if '"settlement.computed"' in e}),
        "events other": sorted(e for e in events if '"settlement.computed"' not in e),
        "claims": list(RunClaim.objects.values_list("month", "what", "pid")),
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(state, out, default=str, sort_keys=True)


def child(request: dict) -> None:
    """One run: never returns (os._exit), whatever happens."""
    code = 1
    try:
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        _run.update(points=request["points"], kill_at=request["kill_at"], hits={})
        instrument()
        operate(request["months"], request["closer"])
        if request["dump"]:
            dump(request["dump"], request["months"])
        code = 0
    except BaseException:  # whatever it is, the log tells the test
        traceback.print_exc()
    finally:
        from django.db import connections

        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


# -- the zygote ------------------------------------------------------------------------


def _become_subreaper() -> None:
    """Orphaned worker processes of a killed run come to us, to be reaped (Linux)."""
    import ctypes

    pr_set_child_subreaper = 36
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0)


def _reap_orphans() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _answer(**message) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def serve() -> None:
    import django

    django.setup()  # and no connection opened: each child opens its own
    _become_subreaper()
    for text in sys.stdin:
        request = json.loads(text)
        assert set(request) == set(REQUEST_KEYS), request
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.setpgid(0, 0)
            child(request)
        try:  # as well as the child: whichever runs first, the group exists at once
            os.setpgid(pid, pid)
        except (PermissionError, ProcessLookupError):
            pass
        _answer(pid=pid, t0=started)
        _, status = os.waitpid(pid, 0)
        time.sleep(0.01)  # the group's workers die with it; then reap them
        _reap_orphans()
        _answer(exit=os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    serve()
