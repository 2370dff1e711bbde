"""pinzhi backup --out FILE [--no-media] [--by USER]: a consistent copy of the database
(and of the uploaded files) in one archive, restored by `pinzhi restore FILE --yes`.

The archive is a tar file (mode 0600: it holds customers' ID numbers) of
- `manifest.json`: the format, the database engine, when it was made, the last migration
  of each app;
- `database.sqlite3` (SQLite's own online backup: consistent while others write) or
  `database.pgdump` (pg_dump's custom format, a snapshot of one transaction; host, port,
  user and database from DATABASE_URL, the password given to it through PGPASSWORD);
- `media/…`: the uploaded files (case evidence), which the database names but does not
  hold.
Each backup is an event `backup.made` (written after the copy, so it is not in it).
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

FORMAT = "pinzhi-backup"
VERSION = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupRefused(CommandError):
    """A backup or restore that cannot be done as asked (exit code 1, reason on stderr)."""

    def __init__(self, message: str):
        super().__init__(message, returncode=1)


def database() -> dict:
    return settings.DATABASES["default"]


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupRefused(f"backups of a {vendor} database are not supported")
    return vendor


def pg_command(program: str, *args: str) -> tuple[list[str], dict]:
    """A PostgreSQL client command for DATABASE_URL's database, and its environment."""
    db = database()
    argv = [program, "--no-password", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            argv += [flag, str(db[key])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return argv + list(args), env


def run_pg(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise BackupRefused(f"{program} is not installed (PostgreSQL's client programs)")
    argv, env = pg_command(program, *args)
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupRefused(f"{program} failed: {done.stderr.strip()}")


def sqlite_copy(source_path, target_path, *, timeout: float = 5) -> None:
    """SQLite's online backup of one file into another, page by page: consistent while
    others write the source (a backup), atomic for readers of the target (a restore)."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path, timeout=timeout)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def dump_database(vendor: str, path: Path) -> None:
    if vendor == "sqlite":
        sqlite_copy(database()["NAME"], path)
    else:
        run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
               "--file", str(path))


def last_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        last[app] = max(last.get(app, ""), name)
    return dict(sorted(last.items()))


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_backup(out: Path, *, media: bool = True) -> dict:
    """Write the archive to `out` (atomically: a temporary file beside it, then renamed);
    return its manifest."""
    vendor = engine()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    files = media_files() if media else []
    manifest = {"format": FORMAT, "version": VERSION, "engine": vendor,
                "made_at": timezone.now().isoformat(), "migrations": last_migrations(),
                "media": media, "media_files": len(files)}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".pinzhi-backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        dump_database(vendor, dump)
        manifest["database_sha256"] = sha256(dump)
        partial = Path(work) / "archive.tar"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
            blob = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(blob), 0o600
            info.mtime = int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(blob))
            tar.add(dump, arcname=dump.name)
            root = Path(settings.MEDIA_ROOT)
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
        os.replace(partial, out)
    return manifest


def user_named(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise BackupRefused(f"no such user: {username}")
    return user


class Command(BaseCommand):
    help = ("Write a consistent copy of the database and the uploaded files to one archive "
            "(SQLite's online backup or pg_dump), for `pinzhi restore`.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the archive to write (.tar)")
        parser.add_argument("--no-media", action="store_true",
                            help="leave out the uploaded files (MEDIA_ROOT)")
        parser.add_argument("--by", help="the user who makes it (for the event log)")

    def handle(self, out, no_media=False, by=None, **options):
        from pinzhi.core.models import Event

        actor = user_named(by)
        path = Path(out)
        manifest = make_backup(path, media=not no_media)
        size = path.stat().st_size
        Event.objects.create(action="backup.made", actor=actor, kind="backup",
                             key=path.name[:120],
                             data={"file": str(path.resolve()), "bytes": size,
                                   "engine": manifest["engine"],
                                   "media_files": manifest["media_files"],
                                   "sha256": sha256(path)})
        self.stdout.write(f"backup of the {manifest['engine']} database "
                          f"({manifest['media_files']} uploaded files) written to {path} "
                          f"({size:,} bytes)")
