from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("data-deletion/", views.data_deletion_instructions, name="data_deletion_instructions"),
    path("accounts/connected/", views.connected, name="connected"),
    path("accounts/connected/<int:credential_id>/disconnect/", views.disconnect, name="disconnect"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:organization_id>/", views.organization, name="organization"),
    path("organizations/<int:organization_id>/retention/", views.change_retention, name="change_retention"),
    path("organizations/<int:organization_id>/invites/", views.create_invite, name="create_invite"),
    path(
        "organizations/<int:organization_id>/members/<int:membership_id>/",
        views.change_role,
        name="change_role",
    ),
    path("invites/<str:code>/", views.invite, name="invite"),
    path("meta/deauthorize/", views.meta_deauthorize, name="meta_deauthorize"),
    path("meta/data-deletion/", views.meta_data_deletion, name="meta_data_deletion"),
    path("meta/data-deletion/<str:code>/", views.data_deletion_status, name="data_deletion_status"),
]
