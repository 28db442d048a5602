from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    """Beyond the connected accounts: a public panel (Business Discovery) and what others post about us."""

    name = "discovery"
    verbose_name = _("Public panel")
