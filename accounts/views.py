from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")


def data_deletion_instructions(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/data_deletion_instructions.html")
