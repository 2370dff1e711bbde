from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "pinzhi.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from pinzhi.core.evaluating import register_evaluator

        from . import exports, imports  # noqa: F401  (the feed and export kinds)
        from .assigning import remedial_assign

        register_evaluator("training", remedial_assign)
