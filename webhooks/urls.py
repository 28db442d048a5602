from django.urls import path

from webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("webhooks/meta/", views.meta_webhook, name="meta"),
    path("profiles/<int:profile_id>/comments/live", views.live_comments, name="live_comments"),
]
