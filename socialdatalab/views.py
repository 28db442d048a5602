from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from socialdatalab import health


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = health.report()
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)


@never_cache
@login_required
def worker_state(request: HttpRequest) -> JsonResponse:
    """Polled by static/js/worker-watch.js on pages where someone waits on the worker."""
    state = health.worker_state()
    return JsonResponse(
        {
            "up": state.up,
            "last_seen": state.last_seen.isoformat() if state.last_seen else None,
            "label": "" if state.up else state.waiting_label,
        }
    )
