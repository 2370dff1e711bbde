from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "pinzhi.receipts"
    label = "receipts"
    verbose_name = _("Policy receipts")
