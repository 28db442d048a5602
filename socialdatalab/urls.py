from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.throttling import throttled
from publishing.views import TokenObtainView, TokenRefreshView
from socialdatalab import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("worker.json", views.worker_state, name="worker_state"),
    # First: Meta's deliveries are most of the requests, and resolving walks this list in order.
    path("", include("webhooks.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", throttled(admin.site.login)),  # before admin's own: password guessing is refused
    path("admin/", admin.site.urls),
    path("auth/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("collector.urls")),
    path("", include("insights.urls")),
    path("", include("releases.urls")),
    path("", include("discovery.urls")),
    path("", include("publishing.urls")),
    path("api/token/", TokenObtainView.as_view(), name="token_obtain_pair"),
    path("api/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        # Its initialiser as a script file of its own: our CSP refuses inline scripts.
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
