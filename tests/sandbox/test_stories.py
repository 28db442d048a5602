"""The sandbox's stories behave like Meta's (docs/sandbox.md, "Stories and the clock"): listed for
24 hours, signed CDN URLs that expire with "URL signature expired", insights refused once the story
is gone, and the story_insights webhook sent about an hour after it ends, Facebook Login only."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from tests.sandbox.conftest import Control


def listed(ctl: Control, token: str) -> list[str]:
    body = requests.get(f"{ctl.ig}/me/stories", params={"access_token": token, "fields": "id"}, timeout=30).json()
    return [item["id"] for item in body["data"]]


def test_a_story_is_listed_for_24_hours_and_its_insights_go_with_it(ctl: Control) -> None:
    token = ctl.token()
    story = ctl("POST", "stories", json={"age_minutes": 23 * 60, "metrics": {"reach": 40, "views": 60}})["id"]
    insights = f"{ctl.ig}/{story}/insights"
    assert story in listed(ctl, token)
    assert requests.get(insights, params={"metric": "reach", "access_token": token}, timeout=30).status_code == 200

    ctl("POST", "clock", json={"advance_minutes": 61})

    assert story not in listed(ctl, token)
    refused = requests.get(insights, params={"metric": "reach", "access_token": token}, timeout=30)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 100
    assert refused.json()["error"]["error_subcode"] == 33


def test_a_storys_media_url_expires_with_the_signature_error(ctl: Control) -> None:
    token = ctl.token()
    ctl("POST", "config", json={"story_url_minutes": 10})
    story = ctl("POST", "stories", json={"age_minutes": 60})["id"]
    fields = {"access_token": token, "fields": "media_url"}
    url = requests.get(f"{ctl.ig}/{story}", params=fields, timeout=30).json()["media_url"]
    assert "oe=" in url and requests.get(url, timeout=30).status_code == 200

    ctl("POST", "clock", json={"advance_minutes": 11})

    gone = requests.get(url, timeout=30)
    assert (gone.status_code, gone.headers["Content-Type"], gone.text) == (403, "text/plain", "URL signature expired")
    fresh = requests.get(f"{ctl.ig}/{story}", params=fields, timeout=30).json()["media_url"]
    assert fresh != url and requests.get(fresh, timeout=30).status_code == 200  # signed anew while it lives


class Inbox(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_story_insights_webhook_comes_an_hour_after_the_story_ends(ctl: Control) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Inbox.received = []
    ctl.token(login="facebook")  # story_insights is a Facebook Login webhook
    callback = f"http://127.0.0.1:{server.server_port}/webhooks/meta/"
    subscription = {"object": "instagram", "fields": ["story_insights"], "callback_url": callback}
    ctl("POST", "app/subscriptions", json=subscription)
    story = ctl("POST", "stories", json={"age_minutes": 23 * 60, "metrics": {"reach": 3, "views": 40}})["id"]
    try:
        early = ctl("POST", "clock", json={"advance_minutes": 90})["story_insights_sent"]  # ended 30 min ago
        sent = ctl("POST", "clock", json={"advance_minutes": 31})["story_insights_sent"]
        again = ctl("POST", "story_insights/send_due", json={})["sent"]
    finally:
        server.shutdown()

    assert story not in [item["media_id"] for item in early]
    assert story in [item["media_id"] for item in sent] and again == []  # once per story
    values = [entry["changes"][0]["value"] for body in Inbox.received for entry in body["entry"]]
    ours = [value for value in values if value["media_id"] == story]
    assert len(ours) == 1 and ours[0]["reach"] == -1  # under 5: Meta's -1
