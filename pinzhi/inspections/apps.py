"""Inspections and self-inspections, findings and rectification (issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "pinzhi.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from . import exports, imports, panels, voids  # noqa: F401  (kinds and the panel)
