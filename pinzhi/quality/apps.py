from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "pinzhi.quality"
    label = "quality"
    verbose_name = _("Quality points")

    def ready(self):
        from . import exports, imports, voids  # noqa: F401  (feed, export and void kinds)
