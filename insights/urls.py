from django.urls import path

from insights import analysis_views, message_views, review_views, vault_views, views

# Names stay un-namespaced: `dashboard` is the site's LOGIN_REDIRECT_URL and nav target.
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("compare/", views.compare, name="compare"),
    path("analysis/", analysis_views.analysis, name="analysis"),
    path("posts/", analysis_views.all_posts, name="posts"),
    path("metrics/", views.metrics_help, name="metrics_help"),
    path("review/", review_views.review_kit, name="review_kit"),
    path("review/data-handling/", review_views.review_data_handling, name="review_data_handling"),
    path("review/instructions/", review_views.review_instructions, name="review_instructions"),
    path("review/record/<str:scope>/", review_views.review_record, name="review_record"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("profiles/<int:pk>/engagement/", views.engagement, name="engagement"),
    path("profiles/<int:pk>/posts/", analysis_views.profile_posts, name="profile_posts"),
    path("profiles/<int:pk>/comments/", views.comments, name="comments"),
    path("profiles/<int:pk>/comments/states/", views.comment_action_states, name="comment_action_states"),
    path("profiles/<int:pk>/comments/<int:comment_pk>/act/", views.comment_action, name="comment_action"),
    path("profiles/<int:pk>/comments/<int:comment_pk>/delete/", views.comment_delete, name="comment_delete"),
    path("profiles/<int:pk>/stories/", vault_views.stories, name="stories"),
    path("profiles/<int:pk>/stories/<int:story_pk>/file/", vault_views.story_file, name="story_file"),
    path("profiles/<int:pk>/messages/", message_views.conversations, name="messages"),
    path("profiles/<int:pk>/messages/<int:conversation_pk>/", message_views.conversations, name="conversation"),
    path("profiles/<int:pk>/messages/<int:conversation_pk>/reply/", message_views.message_reply, name="message_reply"),
    path("profiles/<int:pk>/quick-replies/", message_views.quick_reply_save, name="quick_reply_save"),
    path(
        "profiles/<int:pk>/quick-replies/<int:reply_pk>/delete/",
        message_views.quick_reply_delete,
        name="quick_reply_delete",
    ),
    path("organizations/<int:organization_id>/audit/", views.audit_trail, name="audit_trail"),
    path("profiles/<int:pk>/export/", views.export, name="export"),
]
