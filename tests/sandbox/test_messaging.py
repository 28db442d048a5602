"""Instagram messaging: seeded conversations, the Send API and its 24-hour window, the
Conversations API with paging, webhook-recorded messages, the control listing."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from .conftest import Control

SAO_LUIS = "17841400000000001"
PAGE_ID = "20000000000000001"
MESSAGE_FIELDS = "messages{id,from,to,message,created_time}"


def conversations(ctl: Control, account: str = "ifma.saoluis") -> list[dict[str, Any]]:
    return list(ctl("GET", "messages", params={"account": account})["conversations"])


def open_and_closed(ctl: Control) -> tuple[dict[str, Any], dict[str, Any]]:
    convs = conversations(ctl)
    return next(c for c in convs if c["window_open"]), next(c for c in convs if not c["window_open"])


def send(url: str, token: str, igsid: str, text: str, as_json: bool = True) -> requests.Response:
    body = {"recipient": {"id": igsid}, "message": {"text": text}}
    if as_json:
        return requests.post(url, json=body, params={"access_token": token})
    form = {k: json.dumps(v) for k, v in body.items()}
    return requests.post(url, data=dict(form, access_token=token))


def test_seeded_accounts_have_portuguese_conversations_inside_and_outside_the_window(ctl: Control) -> None:
    for account in ("ifma.saoluis", "ifma.imperatriz", "ifma.caxias"):
        convs = conversations(ctl, account)
        assert len(convs) >= 3
        assert any(c["window_open"] for c in convs) and any(not c["window_open"] for c in convs)
        updated = [c["updated_time"] for c in convs]
        assert updated == sorted(updated, reverse=True)
        for conv in convs:
            assert conv["messages"] and not conv["messages"][0]["is_echo"]  # the user wrote first
            stamps = [m["timestamp"] for m in conv["messages"]]
            assert stamps == sorted(stamps)
    texts = " ".join(m["text"] for c in conversations(ctl) for m in c["messages"])
    assert "inscrições" in texts or "secretaria" in texts or "edital" in texts


def test_send_within_the_window_appears_in_the_conversation(ctl: Control) -> None:
    token = ctl.token()
    conv, _ = open_and_closed(ctl)
    ctl("POST", "calls/reset")

    response = send(f"{ctl.ig}/me/messages", token, conv["igsid"], "Olá! Já te respondemos por aqui. 💚")

    assert response.status_code == 200, response.text
    sent = response.json()
    assert set(sent) == {"recipient_id", "message_id"} and sent["recipient_id"] == conv["igsid"]
    after = next(c for c in conversations(ctl) if c["id"] == conv["id"])
    last = after["messages"][-1]
    assert last["id"] == sent["message_id"] and last["is_echo"] and last["source"] == "api"
    assert (last["from"], last["to"], last["text"]) == (SAO_LUIS, conv["igsid"], "Olá! Já te respondemos por aqui. 💚")
    calls = ctl("GET", "calls")["by_endpoint"]
    assert calls == {"POST graph.instagram.com /me/messages": 1}

    detail = requests.get(
        f"{ctl.ig}/{sent['message_id']}",
        params={"access_token": token, "fields": "id,created_time,from,to,message"},
    ).json()
    assert detail["message"] == "Olá! Já te respondemos por aqui. 💚"
    assert detail["from"] == {"username": "ifma.saoluis", "id": SAO_LUIS}
    assert detail["to"] == {"data": [{"username": conv["user_username"], "id": conv["igsid"]}]}
    assert detail["created_time"].endswith("+0000")


def test_send_by_ig_user_id_with_a_form_body(ctl: Control) -> None:
    token = ctl.token()
    conv, _ = open_and_closed(ctl)

    response = send(f"{ctl.ig}/{SAO_LUIS}/messages", token, conv["igsid"], "Oi!", as_json=False)

    assert response.status_code == 200, response.text
    assert response.json()["message_id"].startswith("aWdf")


def test_outside_the_window_is_metas_10_2534022(ctl: Control) -> None:
    token = ctl.token()
    _, closed = open_and_closed(ctl)

    response = send(f"{ctl.ig}/me/messages", token, closed["igsid"], "Ainda precisa de ajuda?")

    error = response.json()["error"]
    assert response.status_code == 403  # as recorded from graph.instagram.com
    assert (error["code"], error["error_subcode"], error["type"]) == (10, 2534022, "IGApiException")
    assert error["message"] == "This message is sent outside of allowed window."
    after = next(c for c in conversations(ctl) if c["id"] == closed["id"])
    assert len(after["messages"]) == len(closed["messages"])


def test_the_human_agent_tag_stretches_the_window_to_seven_days(ctl: Control) -> None:
    token = ctl.token()
    reply = ctl("POST", "messages", json={"account": "ifma.saoluis", "text": "Oi?", "age_hours": 50})
    body = {
        "recipient": {"id": reply["from"]},
        "message": {"text": "Desculpe a demora!"},
        "messaging_type": "MESSAGE_TAG",
        "tag": "HUMAN_AGENT",
    }

    plain = send(f"{ctl.ig}/me/messages", token, reply["from"], "Desculpe a demora!")
    tagged = requests.post(f"{ctl.ig}/me/messages", json=body, params={"access_token": token})

    assert plain.json()["error"]["error_subcode"] == 2534022
    assert tagged.status_code == 200, tagged.text


def test_unknown_recipient_is_100_2534014(ctl: Control) -> None:
    response = send(f"{ctl.ig}/me/messages", ctl.token(), "999999999", "Olá")

    error = response.json()["error"]
    assert (error["code"], error["error_subcode"]) == (100, 2534014)
    assert "No matching user found" in error["message"]


def test_missing_recipient_or_message_is_code_100(ctl: Control) -> None:
    token = ctl.token()
    conv, _ = open_and_closed(ctl)

    no_recipient = requests.post(
        f"{ctl.ig}/me/messages", json={"message": {"text": "x"}}, params={"access_token": token}
    )
    no_message = requests.post(
        f"{ctl.ig}/me/messages", json={"recipient": {"id": conv["igsid"]}}, params={"access_token": token}
    )

    assert no_recipient.json()["error"]["code"] == 100
    assert no_message.json()["error"]["code"] == 100


def test_the_messaging_permission_is_required(ctl: Control) -> None:
    token = ctl.token(scopes=["instagram_business_basic"])
    conv, _ = open_and_closed(ctl)

    sent = send(f"{ctl.ig}/me/messages", token, conv["igsid"], "Olá")
    listed = requests.get(f"{ctl.ig}/me/conversations", params={"access_token": token, "platform": "instagram"})
    read = requests.get(f"{ctl.ig}/{conv['id']}", params={"access_token": token, "fields": "messages"})

    for response in (sent, listed, read):
        error = response.json()["error"]
        assert (error["code"], error["type"]) == (10, "OAuthException")
        assert "instagram_business_manage_messages" in error["message"]


def test_facebook_login_sends_with_a_page_token(ctl: Control) -> None:
    minted = ctl("POST", "tokens", json={"login": "facebook", "account": "ifma.saoluis"})
    conv, closed = open_and_closed(ctl)

    by_page = send(f"{ctl.fb}/{PAGE_ID}/messages", minted["page_access_token"], conv["igsid"], "Olá pela Página")
    by_ig = send(f"{ctl.fb}/{SAO_LUIS}/messages", minted["page_access_token"], conv["igsid"], "Olá de novo")
    user_token = send(f"{ctl.fb}/{PAGE_ID}/messages", minted["access_token"], conv["igsid"], "Olá")
    late = send(f"{ctl.fb}/{PAGE_ID}/messages", minted["page_access_token"], closed["igsid"], "Olá")

    assert by_page.status_code == 200 and by_page.json()["recipient_id"] == conv["igsid"]
    assert by_ig.status_code == 200
    assert user_token.json()["error"]["code"] == 210
    assert (late.json()["error"]["code"], late.json()["error"]["error_subcode"]) == (10, 2534022)
    texts = [m["text"] for m in next(c for c in conversations(ctl) if c["id"] == conv["id"])["messages"]]
    assert texts[-2:] == ["Olá pela Página", "Olá de novo"]


def test_facebook_login_without_the_messaging_permission(ctl: Control) -> None:
    minted = ctl("POST", "tokens", json={"login": "facebook", "scopes": ["instagram_basic", "pages_show_list"]})
    conv, _ = open_and_closed(ctl)

    response = send(f"{ctl.fb}/{PAGE_ID}/messages", minted["page_access_token"], conv["igsid"], "Olá")

    assert response.json()["error"]["code"] == 10
    assert "instagram_manage_messages" in response.json()["error"]["message"]


def test_conversations_list_with_cursor_paging(ctl: Control) -> None:
    token = ctl.token()
    expected = [c["id"] for c in conversations(ctl)]
    params = {"access_token": token, "platform": "instagram", "limit": "3"}

    seen: list[str] = []
    page = requests.get(f"{ctl.ig}/me/conversations", params=params).json()
    pages = 1
    while True:
        seen += [c["id"] for c in page["data"]]
        assert all(set(c) == {"id", "updated_time"} for c in page["data"])
        if "next" not in page["paging"]:
            break
        page = requests.get(page["paging"]["next"]).json()
        pages += 1

    assert seen == expected and pages == -(-len(expected) // 3)
    assert page["paging"]["previous"].startswith(ctl.ig)


def test_conversations_with_participants_and_nested_messages(ctl: Control) -> None:
    token = ctl.token()
    first = conversations(ctl)[0]
    fields = f"id,updated_time,participants,{MESSAGE_FIELDS}"

    page = requests.get(
        f"{ctl.ig}/{SAO_LUIS}/conversations",
        params={"access_token": token, "platform": "instagram", "fields": fields, "limit": "2"},
    ).json()

    conv = page["data"][0]
    assert conv["id"] == first["id"]
    assert conv["participants"]["data"] == [
        {"username": "ifma.saoluis", "id": SAO_LUIS},
        {"username": first["user_username"], "id": first["igsid"]},
    ]
    messages = conv["messages"]["data"]
    assert [m["id"] for m in messages] == [m["id"] for m in reversed(first["messages"])]  # newest first
    assert set(messages[0]) == {"id", "from", "to", "message", "created_time"}
    assert "cursors" in conv["messages"]["paging"]


def test_user_id_filter_and_conversation_messages_paging(ctl: Control) -> None:
    token = ctl.token()
    conv = max(conversations(ctl), key=lambda c: len(c["messages"]))
    listed = requests.get(
        f"{ctl.ig}/me/conversations",
        params={"access_token": token, "platform": "instagram", "user_id": conv["igsid"]},
    ).json()
    assert [c["id"] for c in listed["data"]] == [conv["id"]]

    one = requests.get(
        f"{ctl.ig}/{conv['id']}",
        params={"access_token": token, "fields": "messages.limit(1){id,message,from}"},
    ).json()
    assert one["id"] == conv["id"]
    assert [m["id"] for m in one["messages"]["data"]] == [conv["messages"][-1]["id"]]
    following = requests.get(one["messages"]["paging"]["next"]).json()
    assert following["data"][0]["id"] == conv["messages"][-2]["id"]
    assert set(following["data"][0]) == {"id", "message", "from"}

    edge = requests.get(f"{ctl.ig}/{conv['id']}/messages", params={"access_token": token}).json()
    assert [set(m) for m in edge["data"]] == [{"id", "created_time"}] * len(conv["messages"])


def test_facebook_login_reads_conversations_through_the_page(ctl: Control) -> None:
    minted = ctl("POST", "tokens", json={"login": "facebook", "account": "ifma.saoluis"})
    page_token = minted["page_access_token"]
    expected = [c["id"] for c in conversations(ctl)]
    ctl("POST", "calls/reset")

    instagram = requests.get(
        f"{ctl.fb}/{PAGE_ID}/conversations", params={"access_token": page_token, "platform": "instagram"}
    ).json()
    messenger = requests.get(f"{ctl.fb}/{PAGE_ID}/conversations", params={"access_token": page_token}).json()
    detail = requests.get(
        f"{ctl.fb}/{expected[0]}", params={"access_token": page_token, "fields": MESSAGE_FIELDS}
    ).json()

    assert [c["id"] for c in instagram["data"]] == expected
    assert messenger == {"data": []}
    assert detail["messages"]["data"][0]["message"]
    assert ctl("GET", "calls")["by_endpoint"] == {
        "GET graph.facebook.com /{page-id}/conversations": 2,
        "GET graph.facebook.com /{conversation-id}": 1,
    }


def test_other_accounts_conversations_are_out_of_reach(ctl: Control) -> None:
    token = ctl.token()
    other = conversations(ctl, "ifma.caxias")[0]

    response = requests.get(f"{ctl.ig}/{other['id']}", params={"access_token": token})

    assert (response.json()["error"]["code"], response.json()["error"]["error_subcode"]) == (100, 33)


class _Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sink() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/webhooks/meta/"
    server.shutdown()


def test_webhook_messages_open_a_conversation_the_account_can_answer(ctl: Control, sink: str) -> None:
    sent = ctl(
        "POST",
        "webhooks/send",
        json={"target": sink, "event": "messages", "text": "Oi! Tem vaga no curso de Química?", "sender_id": "555"},
    )
    mid = sent["ids"][0]
    conv = next(c for c in conversations(ctl) if c["igsid"] == "555")
    assert conv["window_open"] and conv["messages"][-1]["id"] == mid
    assert conv["messages"][-1]["source"] == "webhook"

    reply = send(f"{ctl.ig}/me/messages", ctl.token(), "555", "Temos sim!")
    assert reply.status_code == 200
    ctl("POST", "webhooks/send", json={"target": sink, "event": "message_reactions", "sender_id": "555"})
    ctl("POST", "webhooks/send", json={"target": sink, "event": "messaging_seen", "sender_id": "555"})
    echo = ctl("POST", "webhooks/send", json={"target": sink, "event": "messages", "sender_id": "555", "echo": True})

    conv = next(c for c in conversations(ctl) if c["igsid"] == "555")
    assert [m["is_echo"] for m in conv["messages"]] == [False, True, True]
    assert conv["messages"][1]["reactions"][0]["reaction"] == "love"
    assert conv["read_at"] is not None and conv["messages"][-1]["id"] == echo["ids"][0]
    body = json.loads(echo["body"])["entry"][0]["messaging"][0]
    assert body["sender"]["id"] == SAO_LUIS and body["message"]["is_echo"] is True


def test_a_message_older_than_a_day_closes_the_window_at_send_time(ctl: Control) -> None:
    added = ctl("POST", "messages", json={"account": "ifma.imperatriz", "text": "Olá", "age_hours": 24.5})
    token = ctl.token(account="ifma.imperatriz")

    response = send(f"{ctl.ig}/me/messages", token, added["from"], "Oi")

    assert response.json()["error"]["error_subcode"] == 2534022
    assert added["conversation_id"] in {c["id"] for c in conversations(ctl, "ifma.imperatriz")}
    assert time.time() - added["timestamp"] > 24 * 3600
