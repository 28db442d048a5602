"""The messages page: conversations, a thread, a reply, and the organization's quick replies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collector.models import Profile
from insights import messaging
from insights.views import acting_profile, profile_page, profile_url, reading_profile


@login_required
def conversations(request: HttpRequest, pk: int, conversation_pk: int | None = None) -> HttpResponse:
    profile = reading_profile(request, pk)
    current = None
    if conversation_pk is not None:
        current = get_object_or_404(profile.conversations, pk=conversation_pk)
        messaging.mark_opened(current)
    listing = messaging.conversations(profile)
    return profile_page(
        request,
        "insights/messages.html",
        profile,
        "messages",
        conversations=listing,
        current=current,
        thread=messaging.thread(current) if current else None,
        window=messaging.window(current) if current else None,
        reply_blocked=messaging.reply_blocker(profile),
        reply_max_length=messaging.MESSAGE_MAX_LENGTH,
        quick_replies=messaging.quick_replies(profile),
    )


@login_required
@require_POST
def message_reply(request: HttpRequest, pk: int, conversation_pk: int) -> HttpResponse:
    profile = acting_profile(request, pk)
    conversation = get_object_or_404(profile.conversations, pk=conversation_pk)
    text = (request.POST.get("text") or "").strip()
    blocked = messaging.reply_blocker(profile)
    window = messaging.window(conversation).kind
    if blocked:
        messages.error(request, blocked)
    elif window == messaging.CLOSED:
        messages.error(request, _("The messaging window is closed: wait for this person to write again."))
    elif request.POST.get("window") != window:
        # The page showed another window than the one that applies now: let the person see it first.
        messages.error(request, _("The messaging window changed while you were writing: check it and send again."))
    elif not 0 < len(text) <= messaging.MESSAGE_MAX_LENGTH:
        messages.error(
            request, _("Write a message of up to %(limit)s characters.") % {"limit": messaging.MESSAGE_MAX_LENGTH}
        )
    else:
        messaging.request_reply(conversation, request.user, text, human_agent=window == messaging.HUMAN_AGENT)
        messages.success(request, _("Message queued for Instagram."))
    return redirect("conversation", pk=profile.pk, conversation_pk=conversation.pk)


@login_required
@require_POST
def quick_reply_save(request: HttpRequest, pk: int) -> HttpResponse:
    profile = acting_profile(request, pk)
    title = (request.POST.get("title") or "").strip()[:60]
    text = (request.POST.get("text") or "").strip()
    if title and 0 < len(text) <= messaging.MESSAGE_MAX_LENGTH:
        messaging.save_quick_reply(profile, request.user, title, text)
        messages.success(request, _("Quick reply saved for your organization."))
    else:
        limit = {"limit": messaging.MESSAGE_MAX_LENGTH}
        messages.error(request, _("A quick reply needs a title and a text of up to %(limit)s characters.") % limit)
    return redirect(_back_to_messages(request, profile))


@login_required
@require_POST
def quick_reply_delete(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    profile = acting_profile(request, pk)
    if not messaging.delete_quick_reply(profile, request.user, reply_pk):
        raise Http404
    messages.success(request, _("Quick reply deleted."))
    return redirect(_back_to_messages(request, profile))


def _back_to_messages(request: HttpRequest, profile: Profile) -> str:
    """The conversation the quick reply was managed from (only its id is taken from the form)."""
    conversation = request.POST.get("conversation", "")
    if conversation.isdigit():
        return reverse("conversation", kwargs={"pk": profile.pk, "conversation_pk": int(conversation)})
    return profile_url("messages", profile)
