"""Comment moderation on Instagram: reply, hide or unhide, delete (one Graph call each).

- reply: `POST /{comment-id}/replies` with `message`; Meta answers `{"id": <the reply's id>}`.
- hide / unhide: `POST /{comment-id}` with `hide=true|false`; Meta answers `{"success": true}`.
- delete: `DELETE /{comment-id}`; Meta answers `{"success": true}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from meta.client import GraphClient


@dataclass(frozen=True)
class Moderated:
    """What Meta accepted: `reply_id` is the new reply's id for a reply, "" for the others."""

    comment_id: str
    reply_id: str = ""


def reply(client: GraphClient, comment_id: str, message: str) -> Moderated:
    body = client.post(f"/{comment_id}/replies", data={"message": message})
    return Moderated(comment_id=comment_id, reply_id=str(body["id"]))


def set_hidden(client: GraphClient, comment_id: str, *, hidden: bool) -> Moderated:
    client.post(f"/{comment_id}", data={"hide": "true" if hidden else "false"})
    return Moderated(comment_id=comment_id)


def delete(client: GraphClient, comment_id: str) -> Moderated:
    client.delete(f"/{comment_id}")
    return Moderated(comment_id=comment_id)
