"""Signed webhooks, comment writes, publishing."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from sandbox.fields import parse, serialize

from .conftest import Control

SAO_LUIS = "17841400000000001"


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers["X-Hub-Signature-256"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks/meta/"
    server.shutdown()


def expected(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_a_comment_webhook_is_signed_with_the_instagram_app_secret(ctl: Control, receiver: str) -> None:
    answer = ctl("POST", "webhooks/send", json={"target": receiver, "event": "comments", "text": "Parabéns, IFMA!"})
    body, signature = _Recorder.received[-1]

    assert answer["status"] == 200 and answer["sent"] == 1
    assert hmac.compare_digest(signature, expected(body, "sandbox-instagram-app-secret"))
    assert b"Parab\\u00e9ns" in body  # non-ASCII escaped, as Meta does
    entry = json.loads(body)["entry"][0]
    assert entry["id"] == SAO_LUIS and entry["field"] == "comments"
    comment_id = entry["value"]["id"]
    assert answer["ids"] == [comment_id]

    token = ctl.token()
    stored = requests.get(f"{ctl.ig}/{comment_id}", params={"access_token": token, "fields": "text"}).json()
    assert stored["text"] == "Parabéns, IFMA!"


def test_batched_changes_shape_and_duplicates(ctl: Control, receiver: str) -> None:
    answer = ctl(
        "POST",
        "webhooks/send",
        json={"target": receiver, "event": "comments", "shape": "changes", "count": 3, "duplicates": 2},
    )

    assert answer["sent"] == 3 and len(_Recorder.received) == 3
    assert len({body for body, _ in _Recorder.received}) == 1
    entries = json.loads(_Recorder.received[0][0])["entry"]
    assert len(entries) == 3 and all(e["changes"][0]["field"] == "comments" for e in entries)


def test_page_feed_events_use_the_meta_app_secret(ctl: Control, receiver: str) -> None:
    ctl("POST", "webhooks/send", json={"target": receiver, "event": "feed", "from_page": True})
    body, signature = _Recorder.received[-1]

    assert signature == expected(body, "sandbox-meta-app-secret")
    payload = json.loads(body)
    value = payload["entry"][0]["changes"][0]["value"]
    assert payload["object"] == "page" and value["from"]["id"] == "20000000000000001"


def test_messages_arrive_in_messaging(ctl: Control, receiver: str) -> None:
    ctl("POST", "webhooks/send", json={"target": receiver, "event": "messages", "text": "oi"})
    entry = json.loads(_Recorder.received[-1][0])["entry"][0]
    assert entry["messaging"][0]["message"]["text"] == "oi"
    assert entry["messaging"][0]["recipient"]["id"] == SAO_LUIS


def test_reply_hide_and_delete_a_comment(ctl: Control) -> None:
    token = ctl.token()
    media = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "fields": "id,comments_count"}).json()
    target = next(m for m in media["data"] if m["comments_count"] > 0)
    comments = requests.get(
        f"{ctl.ig}/{target['id']}/comments", params={"access_token": token, "fields": "id,text,replies{id,text}"}
    ).json()["data"]
    top = comments[0]["id"]

    reply = requests.post(f"{ctl.ig}/{top}/replies", data={"access_token": token, "message": "Obrigado!"}).json()
    hidden = requests.post(f"{ctl.ig}/{top}", data={"access_token": token, "hide": "true"}).json()
    read = requests.get(
        f"{ctl.ig}/{top}", params={"access_token": token, "fields": "hidden,replies{id,text,username}"}
    ).json()

    assert hidden == {"success": True} and read["hidden"] is True
    assert {"id": reply["id"], "text": "Obrigado!", "username": "ifma.saoluis"} in read["replies"]["data"]
    assert requests.delete(f"{ctl.ig}/{top}", params={"access_token": token}).json()["success"]
    assert requests.get(f"{ctl.ig}/{top}", params={"access_token": token}).json()["error"]["code"] == 100


def test_a_control_comment_can_have_been_made_minutes_ago(ctl: Control) -> None:
    token = ctl.token()
    media = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "fields": "id"}).json()["data"][0]
    made = ctl("POST", "comments", json={"media_id": media["id"], "text": "Vi agora há pouco", "age_minutes": 10})
    comments = requests.get(
        f"{ctl.ig}/{media['id']}/comments", params={"access_token": token, "fields": "id,text,timestamp", "limit": 100}
    ).json()["data"]

    shown = next(c for c in comments if c["id"] == made["id"])
    age = time.time() - datetime.strptime(shown["timestamp"], "%Y-%m-%dT%H:%M:%S%z").timestamp()
    assert 600 <= age < 630
    refused = requests.post(f"{ctl.url}/_sandbox/comments", json={"media_id": media["id"], "age_minutes": -1})
    assert refused.status_code == 400


def test_an_instagram_container_publishes_after_it_is_finished(ctl: Control) -> None:
    token = ctl.token()
    container = requests.post(
        f"{ctl.ig}/{SAO_LUIS}/media",
        data={"access_token": token, "image_url": "https://example.com/a.jpg", "caption": "Oi #IFMA"},
    ).json()
    early = requests.post(
        f"{ctl.ig}/{SAO_LUIS}/media_publish", data={"access_token": token, "creation_id": container["id"]}
    ).json()
    assert (early["error"]["code"], early["error"]["error_subcode"]) == (9007, 2207027)

    codes = [
        requests.get(f"{ctl.ig}/{container['id']}", params={"access_token": token, "fields": "status_code"}).json()[
            "status_code"
        ]
        for _ in range(3)
    ]
    assert codes == ["IN_PROGRESS", "IN_PROGRESS", "FINISHED"]

    published = requests.post(
        f"{ctl.ig}/{SAO_LUIS}/media_publish", data={"access_token": token, "creation_id": container["id"]}
    ).json()
    newest = requests.get(f"{ctl.ig}/me/media", params={"access_token": token, "limit": 1}).json()
    assert newest["data"][0]["id"] == published["id"]
    limit = requests.get(f"{ctl.ig}/{SAO_LUIS}/content_publishing_limit", params={"access_token": token}).json()
    assert limit["data"][0]["quota_usage"] == 1
    assert ctl("GET", "published")["ig_media"][0]["id"] == published["id"]


def test_a_page_photo_story(ctl: Control) -> None:
    user = ctl.token("facebook", "10000000000000001")
    page_token = requests.get(f"{ctl.fb}/me/accounts", params={"access_token": user}).json()["data"][0]["access_token"]
    photo = requests.post(
        f"{ctl.fb}/20000000000000001/photos",
        data={"access_token": page_token, "url": "https://example.com/a.jpg", "published": "false"},
    ).json()
    story = requests.post(
        f"{ctl.fb}/20000000000000001/photo_stories", data={"access_token": page_token, "photo_id": photo["id"]}
    ).json()

    assert story["success"] is True
    listed = requests.get(f"{ctl.fb}/20000000000000001/stories", params={"access_token": page_token}).json()["data"]
    assert listed[0]["post_id"] == story["post_id"] and listed[0]["media_type"] == "photo"


def test_the_fields_grammar_round_trips() -> None:
    text = "id,children{id,media_url},insights.metric(reach,views),media.limit(5){comments{id}}"
    fields = parse(text)
    assert fields is not None and serialize(fields) == text
    assert fields[2].modifiers == {"metric": "reach,views"}
    assert fields[3].children is not None and fields[3].children[0].name == "comments"


def test_a_carousel_publishes_with_its_children_and_the_quota_holds(ctl: Control) -> None:
    ctl("POST", "config", json={"publish_quota": 1, "container_polls": 0})
    token = ctl.token()

    def create(**params: str) -> str:
        answer = requests.post(f"{ctl.ig}/me/media", data={"access_token": token, **params}).json()
        return str(answer["id"])

    kids = [create(image_url=f"https://example.com/{i}.jpg", is_carousel_item="true") for i in range(3)]
    album = create(media_type="CAROUSEL", children=",".join(kids), caption="Galeria #IFMA")
    published = requests.post(f"{ctl.ig}/me/media_publish", data={"access_token": token, "creation_id": album}).json()
    read = requests.get(
        f"{ctl.ig}/{published['id']}",
        params={"access_token": token, "fields": "media_type,caption,children{id,media_type}"},
    ).json()
    assert read["media_type"] == "CAROUSEL_ALBUM" and len(read["children"]["data"]) == 3

    reel = create(media_type="REELS", video_url="https://example.com/v.mp4")
    over = requests.post(f"{ctl.ig}/me/media_publish", data={"access_token": token, "creation_id": reel}).json()[
        "error"
    ]
    assert (over["code"], over["error_subcode"]) == (9, 2207042)
