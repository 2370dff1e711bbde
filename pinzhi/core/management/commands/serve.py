"""pinzhi serve [--port N]: migrate, then serve the web application and the API."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, then serve the web application and the API."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, port, host, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Pinzhi on http://{host}:{port}/  (Ctrl-C stops it)")
        # Django's threaded server is enough for one branch office and for the demo;
        # production runs gunicorn behind nginx (docs/deploy.md).
        call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
