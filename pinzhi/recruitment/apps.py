"""Recruitment checks before the agency contract (issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "pinzhi.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self):
        from . import exports, imports, panels, voids  # noqa: F401  (kinds, the panel)
