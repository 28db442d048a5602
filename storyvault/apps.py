from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoryVaultConfig(AppConfig):
    # The package is `storyvault` (a top-level `vault` would be shadowed by accounts/vault.py, the
    # token vault, wherever accounts/ is the working directory); tables and migrations say `vault`.
    name = "storyvault"
    label = "vault"
    verbose_name = _("Story vault")

    def ready(self) -> None:
        from storyvault import receivers  # noqa: F401 - connects the signal receivers
