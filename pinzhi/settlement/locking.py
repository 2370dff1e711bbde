"""One run of a month at a time (rules §6: two runs of the same month and unit never run
at once), on every engine.

A run claims its month by inserting a `RunClaim` row in a short transaction of its own
before it starts and deletes it when it ends. A second run finds the claim and is
refused with who holds it and since when; the unique month makes a race between two
claims end the same way. A claim left by a process that died (same host, no such pid)
is taken over. On SQLite a claim that meets the first run's write lock is refused too,
never left to fail later with "database is locked".
"""

import os
import socket
from contextlib import contextmanager

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import RunClaim
from .refusals import SettlementRefused


def _alive(claim: RunClaim) -> bool:
    if claim.host != socket.gethostname():
        return True  # another machine's run: trust it
    try:
        os.kill(claim.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _busy(claim: RunClaim) -> SettlementRefused:
    return SettlementRefused(
        gettext_noop("%(month)s is being settled already (%(scope)s, by %(by)s since "
                     "%(since)s): try again when it has finished"),
        month=claim.month.strftime("%Y-%m"), scope=claim.scope_path or "*",
        by=claim.by or "system", since=timezone.localtime(claim.started_at)
        .strftime("%Y-%m-%d %H:%M:%S"))


def _take(*, month, scope_path: str, what: str, by: str) -> RunClaim:
    existing = RunClaim.objects.filter(month=month).first()
    if existing is not None:
        if _alive(existing):
            raise _busy(existing)
        RunClaim.objects.filter(pk=existing.pk).delete()  # left by a run that died
    try:
        with transaction.atomic():
            return RunClaim.objects.create(month=month, scope_path=scope_path, what=what,
                                           host=socket.gethostname(), pid=os.getpid(), by=by)
    except IntegrityError:
        raise _busy(RunClaim.objects.get(month=month)) from None


@contextmanager
def claimed(*, month, scope_path: str, what: str, by):
    """Hold the month's claim while the body runs; SettlementRefused if another holds it."""
    name = by.get_username() if by is not None else ""
    try:
        claim = _take(month=month, scope_path=scope_path, what=what, by=name)
    except OperationalError as exc:  # SQLite: the other run holds the write lock
        if connection.vendor != "sqlite":
            raise
        raise SettlementRefused(gettext_noop(
            "%(month)s is being settled already (the database is busy with it): try "
            "again when it has finished"), month=month.strftime("%Y-%m")) from exc
    try:
        yield claim
    finally:
        RunClaim.objects.filter(pk=claim.pk).delete()
