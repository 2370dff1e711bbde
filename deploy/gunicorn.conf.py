"""gunicorn's settings for Pinzhi behind nginx (deploy/systemd/pinzhi-web.service).

A Python process runs one request at a time on a core: two workers per core, and a
thread-free sync worker (imports and exports hold a worker for their duration, so the
timeout is long). Logs go to standard output for journald."""

import multiprocessing
import os

bind = os.environ.get("PINZHI_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PINZHI_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
timeout = 300  # a 200 MB import or a large export
graceful_timeout = 60
max_requests = 2000  # a worker is replaced now and then: memory does not creep
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# nginx on the same host sets X-Forwarded-Proto; trust it from there only
forwarded_allow_ips = os.environ.get("PINZHI_FORWARDED_ALLOW_IPS", "127.0.0.1")
