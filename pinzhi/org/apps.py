from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "pinzhi.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from . import imports, voids  # noqa: F401  (register the feed and void kinds)
