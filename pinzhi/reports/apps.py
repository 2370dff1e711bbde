from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pinzhi.reports"
    label = "reports"
    verbose_name = _("Indicators and reports")

    def ready(self):
        from . import exports, imports, promotion, regulator, voids  # noqa: F401  (kinds)
