from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from collector.models import Profile


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    profiles = Profile.objects.for_user(request.user).select_related("credential")
    return render(request, "insights/dashboard.html", {"profiles": profiles})
