"""pinzhi restore FILE --yes [--no-media] [--by USER]: put back the database (and the
uploaded files) of an archive written by `pinzhi backup`.

The archive's database replaces the configured one's contents: SQLite through its online
backup (page by page into the live file, so a write-ahead log beside it stays coherent);
PostgreSQL through `pg_restore --clean --if-exists --single-transaction`, every table of
the archive dropped and loaded again in one transaction (all or nothing). Uploaded files
are written back under MEDIA_ROOT (files the archive does not name are left alone). Stop
the web servers and the evaluate timer first (docs/deployment.md). The restore is an
event `backup.restored` in the restored database.
"""

import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from .backup import (
    DUMP_NAMES,
    FORMAT,
    VERSION,
    BackupRefused,
    database,
    engine,
    last_migrations,
    run_pg,
    sha256,
    sqlite_copy,
    user_named,
)


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError):
        raise BackupRefused("not a Pinzhi backup: manifest.json is missing or unreadable") \
            from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupRefused(f"not a Pinzhi backup of version {VERSION}: "
                            f"{manifest.get('format')} {manifest.get('version')}")
    return manifest


def refuse_a_newer_schema(vendor: str, manifest: dict) -> None:
    """pg_restore --clean drops and loads the archive's tables only: tables of migrations
    made after the backup would stay, unrecorded, and the next migrate would fail on them.
    (SQLite's copy replaces the whole file.)"""
    if vendor != "postgresql":
        return
    backed_up = manifest.get("migrations", {})
    newer = sorted(f"{app}.{name}" for app, name in last_migrations().items()
                   if name > backed_up.get(app, ""))
    if newer:
        raise BackupRefused(
            "the database has migrations the backup does not ("
            + ", ".join(newer[:5]) + (", …" if len(newer) > 5 else "")
            + "): restore into an empty database (createdb), then run `pinzhi migrate`")


def load_database(vendor: str, dump: Path) -> None:
    connections.close_all()  # nothing of ours holds the database while it is replaced
    if vendor == "sqlite":
        sqlite_copy(dump, database()["NAME"], timeout=30)
    else:
        run_pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
               "--single-transaction", "--exit-on-error", str(dump))


def restore_media(tar: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for member in tar.getmembers():
        if not member.name.startswith("media/") or not member.isfile():
            continue
        member.name = member.name.removeprefix("media/")
        # the "data" filter refuses absolute paths, "..", links out of the folder
        tar.extract(member, root, filter="data")
        count += 1
    return count


def restore_backup(path: Path, *, media: bool = True) -> dict:
    """Restore the archive at `path` into the configured database; return its manifest
    with the number of uploaded files written back."""
    vendor = engine()
    if not path.is_file():
        raise BackupRefused(f"no such file: {path}")
    try:
        tar = tarfile.open(path, mode="r:")
    except tarfile.TarError:
        raise BackupRefused(f"not a Pinzhi backup (not a tar archive): {path}") from None
    with tar, tempfile.TemporaryDirectory(prefix="pinzhi-restore-") as work:
        manifest = read_manifest(tar)
        if manifest["engine"] != vendor:
            raise BackupRefused(f"the backup is of a {manifest['engine']} database; the "
                                f"configured database is {vendor}")
        name = DUMP_NAMES[vendor]
        try:
            tar.extract(name, work, filter="data")
        except KeyError:
            raise BackupRefused(f"the backup has no {name}") from None
        dump = Path(work) / name
        if sha256(dump) != manifest.get("database_sha256"):
            raise BackupRefused("the backup's database does not match its checksum: "
                                "the file is damaged")
        refuse_a_newer_schema(vendor, manifest)
        load_database(vendor, dump)
        manifest["media_restored"] = restore_media(tar) if media else 0
    return manifest


class Command(BaseCommand):
    help = ("Replace the configured database (and put back the uploaded files) with a "
            "backup written by `pinzhi backup`. Stop the web servers and timers first.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `pinzhi backup`")
        parser.add_argument("--yes", action="store_true",
                            help="confirm: the database's present contents are replaced")
        parser.add_argument("--no-media", action="store_true",
                            help="restore the database only, not the uploaded files")
        parser.add_argument("--by", help="the user who restores it (for the event log)")

    def handle(self, file, yes=False, no_media=False, by=None, **options):
        from pinzhi.core.models import Event

        if not yes:
            raise BackupRefused("restoring replaces every row of the configured database "
                                f"({database()['NAME']}); add --yes to do it")
        path = Path(file).resolve()
        manifest = restore_backup(path, media=not no_media)
        actor = user_named(by)  # looked up in the restored database
        Event.objects.create(action="backup.restored", actor=actor, kind="backup",
                             key=path.name[:120],
                             data={"file": str(path), "made_at": manifest["made_at"],
                                   "engine": manifest["engine"],
                                   "media_files": manifest["media_restored"]})
        self.stdout.write(f"restored the {manifest['engine']} database of "
                          f"{manifest['made_at']} from {path} "
                          f"({manifest['media_restored']} uploaded files)")
