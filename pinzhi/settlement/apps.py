from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "pinzhi.settlement"
    label = "settlement"
    verbose_name = _("Commission settlement")

    def ready(self):
        from . import exports  # noqa: F401  (the `settlement` export)
