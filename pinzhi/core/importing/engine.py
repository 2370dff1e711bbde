"""The import engine: one path for every kind of feed file, on SQLite and PostgreSQL.

A file is streamed row by row through pure parsers (parsers.py) into a temporary staging
table (COPY on PostgreSQL, batched inserts on SQLite). Checks that need the database
(duplicate keys, unknown references) and the writes themselves are set-based SQL over the
staging table. Everything runs in one transaction: one bad row rejects the whole file and
nothing is written. A row whose values equal the stored ones changes nothing; a changed
row is updated and its old values are kept as an event (`<kind>.updated`). A kind whose
rows are not a copy of the file's columns writes them itself (`ImportSpec.write`), after
the same checks, in the same transaction.
"""

import datetime as dt
import hashlib
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from pinzhi.core.models import Event, ImportRun

from .readers import FileRejected, HostileFile, open_table
from .spec import ImportSpec, Reference, followers, get_spec
from .staging import Stage

MAX_LISTED_WARNINGS = 200
MAX_LISTED_ERRORS = 1000
ANALYZE_AFTER_ROWS = 10_000


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self):
        where = f"row {self.row}" if self.row else "file"
        col = f", column {self.column}" if self.column else ""
        val = f", value {self.value!r}" if self.value else ""
        return f"{where}{col}{val}: {self.reason}"


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    run_id: int | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [f"{self.rows} rows", f"created {self.created}", f"updated {self.updated}",
                 f"unchanged {self.unchanged}", f"warnings {len(self.warnings)}"]
        head = f"{self.kind}: " + ", ".join(parts)
        return head + (" (dry run: nothing written)" if self.dry_run else "")


class _Problems(list):
    """The problems of a file: the first MAX_LISTED_ERRORS are kept, the others counted,
    so a file of a million bad rows is refused in the memory of a good one."""

    unlisted = 0

    def append(self, error):
        self.extend((error,))

    def extend(self, errors):
        errors = list(errors)
        room = max(MAX_LISTED_ERRORS - len(self), 0)
        super().extend(errors[:room])
        self.unlisted += len(errors) - min(room, len(errors))

    def finish(self) -> None:
        self.sort()
        if self.unlisted:
            super().append(RowError(0, "", "", f"{self.unlisted} more problems, not listed: "
                                               f"the first {MAX_LISTED_ERRORS} are"))


class _Counted:
    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


class _Rejected(Exception):
    pass


class _DryRun(Exception):
    pass


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def run_import(kind: str, source, *, by=None, dry_run: bool = False, progress: bool = False,
               filename: str | None = None, now: dt.datetime | None = None) -> ImportResult:
    """Import one file (a path or a binary file object) of `kind`; see the module doc."""
    spec = get_spec(kind)
    if isinstance(source, (str, Path)):
        with open(source, "rb") as stream:
            return _run(spec, stream, filename or Path(source).name, by, dry_run, progress, now)
    return _run(spec, source, filename or getattr(source, "name", "upload"), by, dry_run,
                progress, now)


def _run(spec, stream, filename, by, dry_run, progress, now) -> ImportResult:
    now = now or timezone.now()
    result = ImportResult(kind=spec.kind, filename=filename, dry_run=dry_run, errors=_Problems())
    run = ImportRun.objects.create(
        kind=spec.kind, filename=filename[:255], sha256=_sha256(stream), by=by,
        started_at=now, outcome=ImportRun.Outcome.REJECTED,
    )
    result.run_id = run.pk
    try:
        table = open_table(stream, filename)
        _check_header(spec, table.header)
        with transaction.atomic():
            _load_and_apply(spec, table, result, now, by, stream if progress else None)
            if dry_run:
                raise _DryRun
        run.outcome = ImportRun.Outcome.APPLIED
    except FileRejected as exc:
        result.errors.extend(getattr(exc, "errors", None) or [RowError(0, "", "", str(exc))])
        if isinstance(exc, HostileFile):
            Event.objects.create(actor=by, action="import.hostile", kind="import",
                                 key=str(run.pk), data={"kind": spec.kind, "file": filename,
                                                        "sha256": run.sha256,
                                                        "reason": str(exc)})
    except _Rejected:
        pass
    except _DryRun:
        run.outcome = ImportRun.Outcome.DRY_RUN
    result.errors.finish()
    _finish_run(run, result)
    return result


def _check_header(spec: ImportSpec, header: list[str]) -> None:
    errors = []
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, name, "column given twice"))
        seen.add(name)
        if name not in spec.column_names:
            errors.append(RowError(1, name, name, "unknown column"))
    for name in spec.required_names:
        if name not in seen:
            errors.append(RowError(1, name, "", "missing column"))
    if errors:
        raise _HeaderRejected(errors)


class _HeaderRejected(FileRejected):
    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _finish_run(run: ImportRun, result: ImportResult) -> None:
    run.finished_at = timezone.now()
    run.rows, run.created, run.updated = result.rows, result.created, result.updated
    run.unchanged = result.unchanged
    run.warnings = result.warnings[:MAX_LISTED_WARNINGS]
    run.errors = [str(e) for e in result.errors[:1000]]
    run.save()
    if run.outcome == ImportRun.Outcome.APPLIED:
        Event.objects.create(
            actor=run.by, action="import.applied", kind="import", key=str(run.pk),
            data={"kind": run.kind, "file": run.filename, "sha256": run.sha256,
                  "created": run.created, "updated": run.updated, "unchanged": run.unchanged},
        )


def parse_rows(spec: ImportSpec, header: list[str], rows: Iterable[tuple[int, list[str]]],
               now: dt.datetime, errors: list[RowError]):
    """Yield (row_no, values) for good rows; append every problem of bad rows to `errors`.

    Pure but for `errors`: the same rules for every kind and engine.
    """
    today = timezone.localdate(now)
    # One tuple per column, so the hot loop does no attribute look-ups.
    plan = [(header.index(c.name), c.name, c.parse, c.required, c.default, c.not_future)
            for c in spec.columns if c.name in header]
    # Optional columns the file leaves out: their defaults, for the cross-column checks.
    absent = {c.name: c.default for c in spec.columns if c.name not in header}
    width = len(header)
    check_row = spec.check_row
    for row_no, cells in rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        values, bad = dict(absent), []
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            bad.append(RowError(row_no, "", "", f"{len(cells)} cells, the header has {width}"))
        for index, name, parse, required, default, not_future in plan:
            raw = cells[index].strip()
            if not raw:
                if required:
                    bad.append(RowError(row_no, name, "", "required"))
                values[name] = default
                continue
            try:
                value = values[name] = parse(raw)
            except ValueError as exc:
                bad.append(RowError(row_no, name, raw, str(exc)))
                continue
            if not_future and _in_future(value, today, now):
                bad.append(RowError(row_no, name, raw, "in the future"))
        if not bad and check_row:
            bad = [RowError(row_no, c, v, r) for c, v, r in check_row(values, today)]
        if bad:
            errors.extend(bad)
        else:
            yield row_no, values


def _in_future(value, today: dt.date, now: dt.datetime) -> bool:
    if type(value) is dt.datetime:
        return value > now
    return value > today


class _Clock:
    def __init__(self, timings: dict):
        self.timings, self.last = timings, time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = round(now - self.last, 3)
        self.last = now


def _load_and_apply(spec, table, result, now, by, progress_stream) -> None:
    clock = _Clock(result.timings)
    stage = Stage(spec, table.header, connection)
    stage.by, stage.now = by, now  # for a kind's hooks (who confirmed, when)
    stage.create()
    rows = _Counted(_with_progress(table.rows, progress_stream))
    stage.load(parse_rows(spec, table.header, rows, now, result.errors))
    result.rows = rows.count  # good and bad: the bad ones are not all listed
    clock("read_parse_stage")
    checks = stage.check()
    clock("check")
    for row, column, value, reason in checks:
        result.errors.append(RowError(row, column, value, reason))
    if spec.check_stage:  # with the others: every bad row is listed at once
        for row, column, value, reason in spec.check_stage(stage):
            result.errors.append(RowError(row, column, value, reason))
    if result.errors:
        raise _Rejected
    if spec.write:  # the kind writes its rows itself
        result.created, result.updated = spec.write(stage)
        result.unchanged = result.rows - result.created - result.updated
        clock("write")
    else:
        _write_rows(spec, stage, result, now, by, clock)
    if result.created + result.updated >= ANALYZE_AFTER_ROWS:
        # Fresh statistics: the next import that joins this table (cases naming a million
        # new policies) is planned for its real size, not for the empty table it was.
        stage.analyze_target()
    clock("analyze")
    if spec.after_apply:
        result.warnings += spec.after_apply(stage)
    for follower in followers(spec.kind):  # other areas' work on the same rows
        result.warnings += follower(stage) or []
    clock("after_apply")
    stage.drop()


def _write_rows(spec, stage, result, now, by, clock) -> None:
    """The generic writes: the file's rows into the kind's model, keyed by its key."""
    if result.rows >= ANALYZE_AFTER_ROWS:
        stage.analyze_target()  # plan the joins below for the table as it is now
    stage.resolve_key_references()
    voided = stage.voided_rows()
    result.warnings += [f"row {r}: {k} is voided; the row was not applied" for r, k in voided]
    changes = stage.changed_rows()
    _log_changes(spec, changes, now, by)
    result.updated = len(changes)
    clock("history")
    stage.update_changed(now)  # before the insert: new rows need no comparing
    clock("update")
    result.created = stage.insert_new(now)
    stage.update_within_file_references()
    clock("insert")
    result.unchanged = result.rows - result.created - result.updated - len(voided)


def _log_changes(spec, changes, now, by) -> None:
    """Keep the old values of every changed row as an event (the row's history)."""
    kind = spec.model._meta.model_name
    events = (
        Event(at=now, actor=by, action=f"{kind}.updated", kind=kind, key=key,
              data={"changes": diff, "source": "import"})
        for key, diff in changes
    )
    Event.objects.bulk_create(events, batch_size=2000)


def _with_progress(rows, stream):
    if stream is None or not sys.stderr.isatty():
        yield from rows
        return
    from tqdm import tqdm

    raw = getattr(stream, "raw", stream)
    try:
        total = Path(raw.name).stat().st_size
    except (AttributeError, OSError, TypeError):
        total = None
    with tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, leave=False) as bar:
        done = 0
        for n, item in enumerate(rows):
            if n % 5000 == 0:
                position = raw.tell() if hasattr(raw, "tell") else 0
                bar.update(max(position - done, 0))
                done = max(done, position)
            yield item


__all__ = ["ImportResult", "Reference", "RowError", "run_import"]
