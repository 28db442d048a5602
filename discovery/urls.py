from django.urls import path

from discovery import views

app_name = "discovery"
urlpatterns = [
    path("panel/", views.my_panel, name="my_panel"),
    path("organizations/<int:organization_id>/panel/", views.panel_page, name="panel"),
    path("organizations/<int:organization_id>/panel/<int:tracked_id>/remove/", views.panel_remove, name="panel_remove"),
    path("profiles/<int:pk>/about-us/", views.about_us_page, name="about_us"),
    path("profiles/<int:pk>/about-us/export.csv", views.about_us_export, name="about_us_export"),
]
