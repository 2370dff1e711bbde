"""Agents' own complaints and grievances (业务员投诉, issue 8)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "pinzhi.grievances"
    label = "grievances"
    verbose_name = _("Agents' grievances")

    def ready(self):
        from . import exports, imports, panels, voids  # noqa: F401  (registrations)
