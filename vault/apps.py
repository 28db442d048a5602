from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "vault"
    verbose_name = _("Story vault")

    def ready(self) -> None:
        from vault import receivers  # noqa: F401 - connects the signal receivers
