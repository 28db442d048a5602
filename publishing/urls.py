from django.urls import path

from publishing import access, views

app_name = "publishing"

LIST = {"get": "list", "post": "create"}
DETAIL = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}

# No trailing slashes: the paths are the contract's, exactly.
urlpatterns = [
    path(
        "social-media/facebook/story/<str:dealer_id>", views.FacebookStoryViewSet.as_view(LIST), name="facebook-stories"
    ),
    path(
        "social-media/facebook/story/<str:dealer_id>/<str:id>",
        views.FacebookStoryViewSet.as_view(DETAIL),
        name="facebook-story",
    ),
    path(
        "social-media/instagram/story/<str:dealer_id>",
        views.InstagramStoryViewSet.as_view(LIST),
        name="instagram-stories",
    ),
    path(
        "social-media/instagram/story/<str:dealer_id>/<str:id>",
        views.InstagramStoryViewSet.as_view(DETAIL),
        name="instagram-story",
    ),
    path(
        "social-media/facebook/story/<str:dealer_id>/<str:id>/insights",
        views.FacebookStoryInsightsView.as_view(),
        name="facebook-story-insights",
    ),
    path(
        "social-media/instagram/story/<str:dealer_id>/<str:id>/insights",
        views.InstagramStoryInsightsView.as_view(),
        name="instagram-story-insights",
    ),
    path("api-access/", access.api_access_home, name="api-access-home"),
    path("api/story-api.md", access.story_api_guide, name="story-api-guide"),
    path("organizations/<int:organization_id>/api-access/", access.api_access, name="api-access"),
    path(
        "organizations/<int:organization_id>/api-access/<int:client_pk>/rotate/",
        access.rotate_client,
        name="api-client-rotate",
    ),
    path(
        "organizations/<int:organization_id>/api-access/<int:client_pk>/",
        access.update_client,
        name="api-client-update",
    ),
    path("social-media/facebook/story", views.MissingDealerView.as_view()),
    path("social-media/facebook/story/", views.MissingDealerView.as_view()),
    path("social-media/instagram/story", views.MissingDealerView.as_view()),
    path("social-media/instagram/story/", views.MissingDealerView.as_view()),
]
