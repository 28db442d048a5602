import gc
import os
from collections.abc import Callable, Iterable

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")


def _application() -> Callable[..., Iterable[bytes]]:
    django_app = get_wsgi_application()  # sets Django up: the lean path imports models
    from socialdatalab.lean_webhooks import LeanWebhookPath

    # Meta's deliveries skip Django's request cycle and middleware (socialdatalab/lean_webhooks.py says why).
    return LeanWebhookPath(django_app)


def settle() -> None:
    """Load every view (pandas with the research pages) before the first request, then take what
    is loaded out of the garbage collector's sight: the ~200,000 objects of the code never become
    garbage, and walking them made every fifth research page 130 ms slower (bench/research_pages.py)."""
    get_resolver().url_patterns  # noqa: B018 - imports the views of every URL
    gc.collect()
    gc.freeze()


application = _application()
settle()
