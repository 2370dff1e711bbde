"""`pinzhi backup` and `pinzhi restore`: the restore drill of docs/deployment.md, on SQLite
and on PostgreSQL, each in a scratch database of its own (the run's test database is
never touched): data made, backed up, damaged, restored, and found exactly as it was."""

import io
import json
import os
import re
import stat
import tarfile

import dj_database_url
import pytest
from django.core.management import CommandError, call_command

SCRATCH_DB = f"pinzhi_restore_test_{os.getpid()}"


def drill(scratch, archive):
    scratch.ok("migrate", "--noinput", "-v", "0")
    before = scratch.script("seed")
    assert before["counts"]["Agent"] == 4 and before["evidence"] == "录音 transcript"
    assert before["events_append_only"] is True

    said = scratch.ok("backup", "--out", str(archive), "--by", "admin")
    assert "written to" in said
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds ID numbers

    damaged = scratch.script("damage")
    assert "backup.made" in damaged["events"]
    assert damaged["units"]["T1"] == "改错的名字" and damaged["evidence"] is None
    assert damaged["counts"] != before["counts"]

    scratch.ok("restore", str(archive), "--yes", "--by", "admin")
    after = scratch.script("snapshot")
    restored_events = after.pop("events")
    expected_events = before.pop("events")
    assert after == before  # every count and value, the evidence file, the triggers
    # the log is as it was at the backup, and then the restore itself
    assert restored_events == sorted([*expected_events, "backup.restored"])


def test_backup_and_restore_on_sqlite(scratch_factory, tmp_path):
    scratch = scratch_factory(f"sqlite:///{tmp_path}/pinzhi.sqlite3")
    archive = tmp_path / "backups" / "pinzhi.tar"
    drill(scratch, archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[:2] == ["manifest.json", "database.sqlite3"]
    assert "media/cases/2026/06/evidence.txt" in names
    assert manifest["engine"] == "sqlite" and manifest["media_files"] == 1
    assert manifest["migrations"]["core"].startswith("00")

    # the nightly script and the drill of deploy/, on the restored database
    nightly = scratch.run("deploy/backup.sh", PINZHI_BACKUP_DIR=str(tmp_path / "nightly"))
    assert nightly.returncode == 0, nightly.stderr
    [dated] = (tmp_path / "nightly").glob("pinzhi-*.tar")
    drill_url = f"sqlite:///{tmp_path}/drill.sqlite3"
    refused = scratch.run("deploy/restore-drill.sh", str(dated),
                          PINZHI_DRILL_DATABASE_URL=scratch.env["DATABASE_URL"])
    assert refused.returncode == 1 and "is the live database" in refused.stderr
    drilled = scratch.run("deploy/restore-drill.sh", str(dated),
                          PINZHI_DRILL_DATABASE_URL=drill_url)
    assert drilled.returncode == 0, drilled.stdout + drilled.stderr
    assert re.search(r"^org\.Agent +4$", drilled.stdout, re.MULTILINE), drilled.stdout


def postgres_server() -> dict:
    """The PostgreSQL server of the run (DATABASE_URL); on a SQLite run the PostgreSQL
    drill is skipped (.ci/run runs the suite on both, so both drills run there)."""
    psycopg = pytest.importorskip("psycopg")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL drill runs when DATABASE_URL names a PostgreSQL server")
    server = dj_database_url.parse(url)
    params = {"host": server["HOST"] or None, "port": server["PORT"] or None,
              "user": server["USER"] or None, "password": server["PASSWORD"] or None}
    try:
        psycopg.connect(dbname="postgres", connect_timeout=3, **params).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server reachable: {exc}")
    return params


@pytest.fixture
def postgres_scratch_url():
    import psycopg

    params = postgres_server()

    def admin(sql: str):
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{SCRATCH_DB}"')
    user = params["user"] or ""
    auth = user + (f":{params['password']}" if params["password"] else "")
    yield (f"postgres://{auth}{'@' if auth else ''}{params['host'] or '127.0.0.1'}:"
           f"{params['port'] or 5432}/{SCRATCH_DB}")
    admin(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def test_backup_and_restore_on_postgresql(scratch_factory, tmp_path, postgres_scratch_url):
    import psycopg

    scratch = scratch_factory(postgres_scratch_url)
    archive = tmp_path / "pinzhi.tar"
    drill(scratch, archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.pgdump").read(5)
    assert manifest["engine"] == "postgresql"
    assert dump == b"PGDMP"  # pg_dump's custom format

    # a database migrated past the backup is refused: the newer tables would stay behind
    with psycopg.connect(postgres_scratch_url) as conn:
        conn.execute("INSERT INTO django_migrations (app, name, applied) "
                     "VALUES ('core', '9999_after_the_backup', now())")
    refused = scratch.pinzhi("restore", str(archive), "--yes")
    assert refused.returncode == 1
    assert "migrations the backup does not (core.9999_after_the_backup)" in refused.stderr


# Refusals: each happens before the database is touched.

def archive_of(tmp_path, manifest: dict, files: dict[str, bytes]):
    path = tmp_path / "forged.tar"
    with tarfile.open(path, "w") as tar:
        for name, blob in {"manifest.json": json.dumps(manifest).encode(), **files}.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


def vendor():
    from django.db import connection

    return connection.vendor


def test_restore_refuses_another_engines_backup(tmp_path):
    other = "postgresql" if vendor() == "sqlite" else "sqlite"
    path = archive_of(tmp_path, {"format": "pinzhi-backup", "version": 1, "engine": other,
                                 "made_at": "2026-06-01T00:00:00+08:00"}, {})
    with pytest.raises(CommandError, match=f"the backup is of a {other} database"):
        call_command("restore", str(path), yes=True)


def test_restore_refuses_a_damaged_backup(tmp_path):
    name = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[vendor()]
    path = archive_of(tmp_path, {"format": "pinzhi-backup", "version": 1, "engine": vendor(),
                                 "made_at": "2026-06-01T00:00:00+08:00",
                                 "database_sha256": "0" * 64}, {name: b"not what was dumped"})
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(path), yes=True)


def test_restore_asks_for_yes(tmp_path):
    with pytest.raises(CommandError, match="add --yes to do it"):
        call_command("restore", str(tmp_path / "any.tar"))


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a Pinzhi backup"):
        call_command("restore", str(junk), yes=True)
    other = archive_of(tmp_path, {"format": "something-else"}, {})
    with pytest.raises(CommandError, match="not a Pinzhi backup"):
        call_command("restore", str(other), yes=True)
