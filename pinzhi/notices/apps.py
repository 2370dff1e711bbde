from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "pinzhi.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from pinzhi.core.evaluating import register_evaluator

        from . import imports, voids  # noqa: F401  (the feed and void kinds)
        from .evaluation import notices_evaluate

        register_evaluator("notices", lambda as_of, full, unit_path: notices_evaluate(
            as_of=as_of, unit_path=unit_path).summary())
