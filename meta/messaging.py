"""Instagram direct messages: the Conversations API (history, usernames) and the Send API.

Both logins read and send the same way, on different owners and hosts:
- Instagram Login: `graph.instagram.com`, owner `me`, the IG user token.
- Facebook Login: `graph.facebook.com`, owner the linked Page's id, the Page token, and
  `platform=instagram` (without it a Page answers with its Messenger inbox).

One conversations page carries each thread's participants and its newest messages by field
expansion. Meta gives the details (sender, text) of a conversation's 20 newest messages only,
so that is as far back as a thread is read; when a nested page stops short of them, the rest
come from the conversation's messages edge.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from meta.client import GraphClient

GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"
DETAILED_MESSAGES = 20  # Meta: "only the 20 most recent messages" have details
PAGE_SIZE = 25
MESSAGE_FIELDS = "id,created_time,from,to,message,attachments"
THREAD_FIELDS = f"id,updated_time,participants,messages.limit({DETAILED_MESSAGES}){{{MESSAGE_FIELDS}}}"


@dataclass(frozen=True)
class Participant:
    id: str  # the Instagram-scoped id (IGSID) of a person, the IG account id of the business
    username: str


@dataclass(frozen=True)
class DirectMessage:
    id: str  # the same id the messaging webhooks carry as `mid`
    created_time: datetime
    sender_id: str
    text: str
    attachments: list[dict[str, Any]]


@dataclass(frozen=True)
class Thread:
    id: str
    updated_time: datetime | None
    participants: list[Participant]
    messages: list[DirectMessage]  # newest first, as Meta lists them

    def other_than(self, account_id: str, account_username: str) -> Participant | None:
        """The person the account talks to: the participant that is not the account itself."""
        for participant in self.participants:
            if participant.id != account_id and participant.username != account_username:
                return participant
        return None


@dataclass(frozen=True)
class PersonProfile:
    """What the Instagram User Profile API tells about a person who wrote to the account."""

    username: str
    profile_pic: str  # a CDN URL that Meta lets expire: read again at most daily


@dataclass(frozen=True)
class SentMessage:
    recipient_id: str
    message_id: str


def inbox_owner(is_instagram_login: bool, page_id: str) -> str:
    """Where an account's conversations live: `me` with Instagram Login, else the linked Page."""
    return "me" if is_instagram_login or not page_id else page_id


def _time(value: Any) -> datetime | None:
    return datetime.strptime(value, GRAPH_TIME) if isinstance(value, str) and value else None


def _message(raw: dict[str, Any]) -> DirectMessage | None:
    created = _time(raw.get("created_time"))
    if not raw.get("id") or created is None:
        return None
    attachments = raw.get("attachments")
    return DirectMessage(
        id=str(raw["id"]),
        created_time=created,
        sender_id=str((raw.get("from") or {}).get("id") or ""),
        text=str(raw.get("message") or ""),
        attachments=list(attachments.get("data") or []) if isinstance(attachments, dict) else [],
    )


def _messages(raw: list[dict[str, Any]]) -> list[DirectMessage]:
    return [message for message in map(_message, raw) if message is not None]


def _cursor(page: dict[str, Any]) -> str | None:
    """The `after` cursor of a page that has a next one (following `paging.next` would repeat the token)."""
    paging = page.get("paging") or {}
    return (paging.get("cursors") or {}).get("after") if paging.get("next") else None


def messages(client: GraphClient, conversation_id: str, *, after: str, limit: int) -> list[DirectMessage]:
    """Up to `limit` more messages of one conversation from the `after` cursor, newest first."""
    found: list[DirectMessage] = []
    params: dict[str, Any] = {"fields": MESSAGE_FIELDS, "after": after, "limit": limit}
    while len(found) < limit:
        page = client.get(f"{conversation_id}/messages", params)
        found.extend(_messages(page.get("data") or []))
        cursor = _cursor(page)
        if not page.get("data") or not cursor:
            break
        params = {**params, "after": cursor, "limit": limit - len(found)}
    return found[:limit]


def _thread(client: GraphClient, raw: dict[str, Any]) -> Thread:
    nested = raw.get("messages") or {}
    found = _messages(nested.get("data") or [])
    cursor = _cursor(nested)
    if cursor and len(found) < DETAILED_MESSAGES:
        found += messages(client, str(raw["id"]), after=cursor, limit=DETAILED_MESSAGES - len(found))
    participants = [
        Participant(id=str(p.get("id") or ""), username=str(p.get("username") or ""))
        for p in (raw.get("participants") or {}).get("data") or []
    ]
    return Thread(
        id=str(raw["id"]), updated_time=_time(raw.get("updated_time")), participants=participants, messages=found
    )


def conversations(client: GraphClient, owner: str, *, user_id: str = "") -> Iterator[Thread]:
    """Every Instagram conversation of the account, newest activity first, page by page;
    `user_id` (an IGSID) narrows it to the conversation with that person."""
    params: dict[str, Any] = {"platform": "instagram", "fields": THREAD_FIELDS, "limit": PAGE_SIZE}
    if user_id:
        params["user_id"] = user_id
    while True:
        page = client.get(f"{owner}/conversations", params)
        for raw in page.get("data") or []:
            yield _thread(client, raw)
        cursor = _cursor(page)
        if not page.get("data") or not cursor:
            return
        params = {**params, "after": cursor}


def person(client: GraphClient, igsid: str) -> PersonProfile:
    """GET /{igsid}?fields=name,username,profile_pic: the person's public profile, readable once
    they have messaged the account (Meta's Instagram User Profile API)."""
    body = client.get(igsid, {"fields": "name,username,profile_pic"})
    return PersonProfile(username=str(body.get("username") or ""), profile_pic=str(body.get("profile_pic") or ""))


def send_text(
    client: GraphClient, owner: str, recipient_id: str, text: str, *, human_agent: bool = False
) -> SentMessage:
    """The Send API: one text message to the person behind `recipient_id` (an IGSID).

    Within 24 hours of the person's latest message it is a RESPONSE; `human_agent` tags it
    HUMAN_AGENT, which Meta accepts up to 7 days after that message and only for a reply a
    person typed (insights.tasks passes it from a MessageReply a member sent by hand)."""
    data = {"recipient": json.dumps({"id": recipient_id}), "message": json.dumps({"text": text})}
    data |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"} if human_agent else {"messaging_type": "RESPONSE"}
    body = client.post(f"{owner}/messages", data=data)
    return SentMessage(
        recipient_id=str(body.get("recipient_id") or recipient_id), message_id=str(body.get("message_id") or "")
    )
