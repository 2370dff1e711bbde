"""Deployment tests run `pinzhi` in subprocesses against scratch databases and folders."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PINZHI = str(Path(sys.executable).parent / "pinzhi")


def strong_key() -> str:
    return secrets.token_urlsafe(50)


class Scratch:
    """A scratch deployment: its own database (DATABASE_URL) and var folder (PINZHI_VAR)."""

    def __init__(self, database_url: str, var: Path, **env: str):
        self.env = {**os.environ, "DATABASE_URL": database_url, "PINZHI_VAR": str(var),
                    "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "pinzhi.settings",
                    **env}
        # tests/conftest.py sets it for Playwright; Django's deployment check refuses it
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.var = var

    def run(self, *argv: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(argv, cwd=ROOT, env={**self.env, **env}, capture_output=True,
                              text=True, timeout=300)

    def pinzhi(self, *args: str) -> subprocess.CompletedProcess:
        return self.run(PINZHI, *args)

    def ok(self, *args: str) -> str:
        done = self.pinzhi(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def script(self, step: str):
        """A step of tests/deploy/scratch.py; its JSON answer."""
        done = subprocess.run([sys.executable, "-m", "tests.deploy.scratch", step], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (step, done.stdout, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def scratch_factory(tmp_path):
    def make(database_url: str, **env: str) -> Scratch:
        var = tmp_path / "var"
        var.mkdir(exist_ok=True)
        return Scratch(database_url, var, **env)

    return make
