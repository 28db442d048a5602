"""The inbox a campus team shares: unread threads, people's pictures from Meta (read at most
daily), quick replies per organization, and an audit trail exported without personal data."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from insights import audit
from insights.models import AuditAction, AuditEntry, QuickReply
from tests.insights.builders import Account, account
from tests.insights.conftest import page_text
from webhooks import inbox
from webhooks.models import Conversation, Message


@pytest.fixture
def team(db: None) -> Account:
    return account()


def _thread(profile: Any, participant: str, hours_ago: float) -> Conversation:
    at = timezone.now() - timedelta(hours=hours_ago)
    conversation = Conversation.objects.create(
        profile=profile, participant_id=participant, participant_username=f"aluna{participant[-2:]}", last_message_at=at
    )
    Message.objects.create(conversation=conversation, mid=f"m_{participant}", text="Oi!", sent_at=at)
    return conversation


def _colleague(team: Account, role: str = Role.ANALYST) -> Client:
    person = get_user_model().objects.create_user(f"colega-{role}")
    Membership.objects.create(organization=team.organization, user=person, role=role)
    client = Client()
    client.force_login(person)
    return client


def test_it_marks_a_thread_read_for_the_whole_team_once_a_member_opens_it(client: Client, team: Account) -> None:
    first, _second = _thread(team.profile, "650001", 1), _thread(team.profile, "650002", 2)
    client.force_login(team.user)
    inbox_url = reverse("messages", args=[team.profile.pk])
    assert page_text(client.get(inbox_url)).count("data-unread") == 2
    client.get(reverse("conversation", args=[team.profile.pk, first.pk]))
    colleague = _colleague(team)
    assert page_text(colleague.get(inbox_url)).count("data-unread") == 1
    # The person writes again: the thread is news for everyone once more.
    Message.objects.create(conversation=first, mid="m_again", text="Alguém?", sent_at=timezone.now())
    assert page_text(colleague.get(inbox_url)).count("data-unread") == 2


def test_it_saves_uses_and_deletes_quick_replies_for_the_organization(client: Client, team: Account) -> None:
    conversation = _thread(team.profile, "650003", 1)
    colleague = _colleague(team)
    colleague.post(
        reverse("quick_reply_save", args=[team.profile.pk]),
        {"title": "Horário", "text": "A secretaria abre das 8h às 17h.", "conversation": conversation.pk},
    )
    client.force_login(team.user)
    text = html.unescape(page_text(client.get(reverse("conversation", args=[team.profile.pk, conversation.pk]))))
    assert 'data-quick-reply="A secretaria abre das 8h às 17h."' in text and ">Horário</button>" in text
    other = account("outro.campus")
    client.force_login(other.user)
    assert "Horário" not in page_text(client.get(reverse("messages", args=[other.profile.pk])))
    saved = QuickReply.objects.get()
    assert client.post(reverse("quick_reply_delete", args=[other.profile.pk, saved.pk])).status_code == 404
    colleague.post(reverse("quick_reply_delete", args=[team.profile.pk, saved.pk]))
    assert not QuickReply.objects.exists()


def test_a_viewer_cannot_save_quick_replies(team: Account) -> None:
    viewer = _colleague(team, Role.VIEWER)
    response = viewer.post(reverse("quick_reply_save", args=[team.profile.pk]), {"title": "X", "text": "Y"})
    assert response.status_code == 404 and not QuickReply.objects.exists()


def test_the_audit_trail_shows_admins_who_did_what_and_hides_it_from_analysts(client: Client, team: Account) -> None:
    conversation = _thread(team.profile, "650004", 30)
    colleague = _colleague(team)
    colleague.post(
        reverse("message_reply", args=[team.profile.pk, conversation.pk]), {"text": "Oi!", "window": "human_agent"}
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target) == (AuditAction.MESSAGE_HUMAN_AGENT, f"conversation {conversation.pk}")
    client.force_login(team.user)
    text = page_text(client.get(reverse("audit_trail", args=[team.organization.pk])))
    assert "colega-analyst" in text and "Replied to a message as Human Agent" in text
    assert colleague.get(reverse("audit_trail", args=[team.organization.pk])).status_code == 404
    organization_page = page_text(client.get(reverse("accounts:organization", args=[team.organization.pk])))
    assert 'id="audit-trail-link"' in organization_page


def test_the_audit_export_names_actors_by_pseudonyms_only(team: Account) -> None:
    conversation = _thread(team.profile, "650005", 1)
    other = account("outro.campus", user=team.user)  # the same person in a second organization
    for profile in (team.profile, other.profile):
        audit.record(profile, team.user, AuditAction.MESSAGE_REPLY, f"conversation {conversation.pk}")
    audit.record(team.profile, team.user, AuditAction.COMMENT_HIDE, "comment 7")
    rows = audit.export_rows(team.organization)
    assert [row["action"] for row in rows] == ["message_reply", "comment_hide"]
    assert rows[0]["actor"] == rows[1]["actor"] and len(rows[0]["actor"]) == 16
    identifying = {team.user.username, team.user.email, "aluna05", "Oi!", "650005"} - {""}
    assert not identifying & {value for row in rows for value in row.values()}
    assert str(team.user.pk) not in {row["actor"] for row in rows}
    # Unlinkable across organizations: the same person has another pseudonym elsewhere.
    assert audit.export_rows(other.organization)[0]["actor"] != rows[0]["actor"]
    assert audit.export_rows(team.organization) == rows


def test_it_reads_peoples_pictures_from_meta_at_most_daily(sandbox: Any, sandbox_lab: Account) -> None:
    sandbox._call("POST", "messages", json={"account": "ifma.saoluis", "sender_id": "6500000000000321", "text": "Oi"})

    def reads() -> int:
        return sandbox.calls()["by_endpoint"].get("GET graph.instagram.com /{igsid}", 0)

    inbox.sync_profile(sandbox_lab.profile)
    people = Conversation.objects.filter(profile=sandbox_lab.profile)
    conversation = people.get(participant_id="6500000000000321")
    assert conversation.participant_picture_url.endswith("/scontent.cdninstagram.com/v/6500000000000321.jpg")
    assert reads() == people.count() > 1
    inbox.sync_profile(sandbox_lab.profile)
    assert reads() == people.count()
    people.filter(pk=conversation.pk).update(participant_checked_at=timezone.now() - timedelta(days=2))
    inbox.sync_profile(sandbox_lab.profile)
    assert reads() == people.count() + 1
