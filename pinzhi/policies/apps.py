from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "pinzhi.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self):
        from . import imports, voids  # noqa: F401  (register the feed and void kinds)
