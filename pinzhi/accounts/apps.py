from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pinzhi.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self):
        # the lock's audit row (axes' signal); the idle clock starts at sign-in
        from . import lockout, middleware  # noqa: F401
