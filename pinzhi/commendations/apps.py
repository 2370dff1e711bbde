"""Commendations (嘉奖) on the agent's record (issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommendationsConfig(AppConfig):
    name = "pinzhi.commendations"
    label = "commendations"
    verbose_name = _("Commendations")

    def ready(self):
        from . import exports, imports, panels, voids  # noqa: F401  (registrations)
