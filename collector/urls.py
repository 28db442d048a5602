from django.urls import path

from collector import views

app_name = "collector"
urlpatterns = [
    path("profiles/<int:profile_id>/backfill.json", views.backfill_progress, name="backfill_progress"),
]
