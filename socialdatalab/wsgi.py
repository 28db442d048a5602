import os
from collections.abc import Callable, Iterable

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")


def _application() -> Callable[..., Iterable[bytes]]:
    django_app = get_wsgi_application()  # sets Django up: the lean path imports models
    from socialdatalab.lean_webhooks import LeanWebhookPath

    # Meta's deliveries skip Django's request cycle and middleware (socialdatalab/lean_webhooks.py says why).
    return LeanWebhookPath(django_app)


application = _application()
