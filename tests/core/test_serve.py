"""`pinzhi serve --workers N` serves the application through gunicorn's processes (what
production runs, and what the dashboards' bench measures), on its own database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PINZHI = str(Path(sys.executable).with_name("pinzhi"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_worker_processes(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "PINZHI_VAR": str(tmp_path)}
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([PINZHI, "serve", "--port", str(port), "--workers", "2"],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline, status = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.3)
        assert status == 200, (tmp_path / "serve.log").read_text()[-2000:]
        assert "gunicorn" in (tmp_path / "serve.log").read_text().lower()
    finally:
        server.terminate()
        server.wait(15)
        log.close()
