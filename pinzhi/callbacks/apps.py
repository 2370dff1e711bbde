from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "pinzhi.callbacks"
    label = "callbacks"
    verbose_name = _("New-policy callbacks")

    def ready(self):
        from pinzhi.core.evaluating import register_evaluator

        from . import imports, voids  # noqa: F401  (feed and void kinds, import followers)
        from .evaluation import evaluate

        register_evaluator("callbacks", lambda as_of, full, unit_path: evaluate(
            as_of=as_of, full=full, unit_path=unit_path).summary())
