from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.conf import settings

        from accounts import receivers, throttling  # noqa: F401 - connects the signal receivers
        from meta.conf import use_settings

        use_settings(settings)
