from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "pinzhi.documents"
    label = "documents"
    verbose_name = _("Valuable documents")

    def ready(self):
        from pinzhi.core.evaluating import register_evaluator

        from . import imports, voids  # noqa: F401  (feed and void kinds)
        from .evaluation import documents_evaluate

        register_evaluator("documents", lambda as_of, full, unit_path: documents_evaluate(
            as_of=as_of, unit_path=unit_path).summary())
