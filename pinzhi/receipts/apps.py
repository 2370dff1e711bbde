from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "pinzhi.receipts"
    label = "receipts"
    verbose_name = _("Policy receipts")

    def ready(self):
        from pinzhi.core.evaluating import register_evaluator

        from . import imports, voids  # noqa: F401  (feed and void kinds)
        from .evaluation import receipts_evaluate

        register_evaluator("receipts", lambda as_of, full, unit_path: receipts_evaluate(
            as_of=as_of, unit_path=unit_path).summary())
