"""One run at a time over any part of the tree, on every engine and across machines
(rules §6: two runs of the same month and unit never run at once; issue 9: branches run in
parallel).

A run (`pinzhi evaluate`, a settlement's computing or closing) claims its scope, a unit's
subtree (its path) or the whole company (''), by inserting a `RunClaim` row in a short
transaction of its own before it starts, and deletes the row when it ends. Two scopes
overlap when one subtree holds the other: the same unit, a unit and its ancestor,
anything and the company. A run whose scope overlaps a claim held is refused with who
holds it and since when, or, given `wait` seconds, tries again until the claim is free or
the time is up. Runs of disjoint branches go on at once. The month does not matter: two
settlements of overlapping scopes never run at once, of the same month or not, and
neither do a settlement and an evaluation of overlapping scopes (both write the cases
and tasks of the same policies).

No unique constraint can say "no two overlapping paths", so claims are taken one at a
time and the check and the insert share one transaction: on PostgreSQL the claiming
transaction locks the claim table against other claimers (SHARE ROW EXCLUSIVE conflicts
with itself, not with readers), which holds across machines since the lock is the
database's; on SQLite every transaction takes the write lock as it begins (settings:
transaction_mode IMMEDIATE), which serialises claimers the same way. So of two claims of
overlapping scopes racing each other, the second sees the first and is refused.

A claim left by a process that died (this host, no such pid) is taken over. Another
machine's claim is trusted; if that machine died its row is removed by hand
(docs/deployment.md, "Branches in parallel"). On SQLite a claim that meets another run's
write lock for longer than the busy timeout is refused too, never left to fail later
with "database is locked".
"""

import os
import socket
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.core.versions import path_prefixes

from .models import RunClaim
from .refusals import SettlementRefused

SETTLING = ("compute", "close", "discard")
POLL_SECONDS = 1.0  # how often a waiting run looks again


class ScopeBusy(SettlementRefused):
    """A run refused because another run holds an overlapping scope."""


def scopes_overlapping(queryset, scope_path: str):
    """The rows of `queryset` (with a `scope_path`) whose scope overlaps `scope_path`:
    one subtree holds the other ('' is the whole company)."""
    if not scope_path:
        return queryset
    return queryset.filter(Q(scope_path__startswith=scope_path)
                           | Q(scope_path__in=["", *path_prefixes(scope_path)]))


def process_identity(pid: int) -> str:
    """Which process `pid` is, beyond its number: this boot's id and the process's start
    time (Linux /proc; '' elsewhere). A pid is reused after its process died, and every
    pid after a reboot: a claim whose process identity no longer matches is a dead run's,
    whatever now holds the number."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return f"{boot}/{stat.rsplit(')', 1)[1].split()[19]}"  # field 22: starttime


def _alive(claim: RunClaim) -> bool:
    if claim.host != socket.gethostname():
        return True  # another machine's run: trust it
    if claim.process and claim.process != process_identity(claim.pid):
        return False  # the number is another process's now, or the machine rebooted
    try:
        os.kill(claim.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _busy(claim: RunClaim) -> ScopeBusy:
    held = dict(scope=claim.scope_path or "*", by=claim.by or "system", host=claim.host,
                pid=claim.pid,
                since=timezone.localtime(claim.started_at).strftime("%Y-%m-%d %H:%M:%S"))
    if claim.what in SETTLING:
        return ScopeBusy(gettext_noop(
            "%(month)s is being settled already (%(scope)s, by %(by)s on %(host)s, pid "
            "%(pid)s, since %(since)s): try again when it has finished"),
            month=claim.month.strftime("%Y-%m") if claim.month else "", **held)
    return ScopeBusy(gettext_noop(
        "%(scope)s is being evaluated already (by %(by)s on %(host)s, pid %(pid)s, since "
        "%(since)s): try again when it has finished"), **held)


def _one_claimer_at_a_time() -> None:
    """PostgreSQL: hold off other claimers until this transaction ends (SQLite's
    immediate transactions do it already). Bounded, so that a claimer never hangs behind
    a transaction that forgot to end."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SET LOCAL lock_timeout = '10s'")
        cur.execute(f"LOCK TABLE {RunClaim._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        cur.execute("SET LOCAL lock_timeout = DEFAULT")


def _refuse_if_held(scope_path: str, *, take_over: bool) -> None:
    for held in scopes_overlapping(RunClaim.objects.all(), scope_path):
        if _alive(held):
            raise _busy(held)
        if take_over:
            held.delete()  # left by a run that died


def _take(*, month, scope_path: str, what: str, by: str) -> RunClaim:
    # A look first, outside any transaction: a claim held is named at once, without
    # queueing for the write lock that run may be holding (SQLite).
    _refuse_if_held(scope_path, take_over=False)
    with transaction.atomic():
        _one_claimer_at_a_time()
        _refuse_if_held(scope_path, take_over=True)  # again: another may just have claimed
        return RunClaim.objects.create(month=month, scope_path=scope_path, what=what,
                                       host=socket.gethostname(), pid=os.getpid(),
                                       process=process_identity(os.getpid()), by=by)


def _take_or_wait(*, wait: float, **claim) -> RunClaim:
    deadline = time.monotonic() + wait
    while True:
        try:
            return _take(**claim)
        except ScopeBusy:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            time.sleep(min(POLL_SECONDS, left))


@contextmanager
def claimed(*, scope_path: str, what: str, by=None, month=None, wait: float = 0):
    """Hold the claim of `scope_path` ('' the company) while the body runs; ScopeBusy
    (a SettlementRefused) if an overlapping one is held and stays held `wait` seconds."""
    name = by.get_username() if by is not None else ""
    try:
        claim = _take_or_wait(wait=wait, month=month, scope_path=scope_path, what=what,
                              by=name)
    except OperationalError as exc:
        # SQLite: another run held the write lock past the busy timeout; PostgreSQL: the
        # claim table stayed locked past the lock timeout.
        if connection.vendor != "sqlite" and "lock timeout" not in str(exc):
            raise
        raise ScopeBusy(gettext_noop(
            "%(scope)s is busy: the database is held by another run; try again when it "
            "has finished"), scope=scope_path or "*") from exc
    try:
        yield claim
    finally:
        RunClaim.objects.filter(pk=claim.pk).delete()
