"""pinzhi serve [--port N] [--workers N]: migrate, then serve the web application and the
API: Django's threaded server by default (one process: a branch office, the demo), or
gunicorn with N worker processes (a Python process runs one request at a time on a core;
the production server, as the dashboards' bench measures it)."""

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, then serve the web application and the API."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=0,
                            help="serve with gunicorn and this many processes "
                                 "(default: Django's threaded server, one process)")

    def handle(self, port, host, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Pinzhi on http://{host}:{port}/  (Ctrl-C stops it)")
        if workers > 0:
            gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
            self.stdout.flush()
            os.execv(gunicorn, [gunicorn, "pinzhi.wsgi:application", "--bind",
                                f"{host}:{port}", "--workers", str(workers),
                                "--access-logfile", "-", "--error-logfile", "-"])
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
