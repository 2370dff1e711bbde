"""An agent's departure and its 30-day tasks (issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeparturesConfig(AppConfig):
    name = "pinzhi.departures"
    label = "departures"
    verbose_name = _("Departures")

    def ready(self):
        from . import exports, imports, panels  # noqa: F401  (feed, export, panels)
