from django.urls import path

from releases import views

RELEASE = "organizations/<int:organization_id>/releases/<int:release_pk>/"
app_name = "releases"
urlpatterns = [
    path("releases/", views.home, name="home"),
    path("organizations/<int:organization_id>/releases/", views.release_list, name="list"),
    path(RELEASE, views.detail, name="detail"),
    path(f"{RELEASE}progress.json", views.progress, name="progress"),
    path(f"{RELEASE}download/", views.download, name="download"),
]
