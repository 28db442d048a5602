from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from accounts.providers.instagram_business.provider import InstagramBusinessProvider

urlpatterns = default_urlpatterns(InstagramBusinessProvider)
