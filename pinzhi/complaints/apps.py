from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "pinzhi.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from . import exports, imports  # noqa: F401  (the feed and export kinds)
