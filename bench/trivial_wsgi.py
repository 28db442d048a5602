"""Django's own cost in the webhook-ingest comparison: the project's settings and middleware,
with a URLconf whose /webhooks/meta/ reads the body and answers 200 without touching the
database (bench/webhook_ingest.py --compare serves it with the endpoint's gunicorn configuration)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialdatalab.settings")


@csrf_exempt
def trivial(request: HttpRequest) -> HttpResponse:
    # GET: the bench's readiness probe is Meta's verification handshake; echo the challenge.
    answer = request.GET.get("hub.challenge") or ("ok" if request.body else "")
    return HttpResponse(answer, content_type="text/plain")


urlpatterns = [path("webhooks/meta/", trivial)]
application = get_wsgi_application()
settings.ROOT_URLCONF = __name__  # before the first request: the resolver is built lazily
