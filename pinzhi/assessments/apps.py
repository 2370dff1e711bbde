"""Ranks and the half-year promotion and maintenance assessment (issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "pinzhi.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from . import exports, imports, panels  # noqa: F401  (export, feed, panel)
