"""The fake Bot API keeps Telegram's rules that the channel relies on."""

from __future__ import annotations

import httpx

from tests.fakes.telegram_api import FakeTelegram


def call(
    server: FakeTelegram, method: str, token: str | None = None, **params: object
) -> httpx.Response:
    url = f"http://127.0.0.1:{server.port}/bot{token or server.token}/{method}"
    return httpx.post(url, data={k: str(v) for k, v in params.items()}, timeout=10)


def test_get_updates_confirms_by_offset_and_redelivers_a_repushed_update(
    fake_api: FakeTelegram,
) -> None:
    first = fake_api.push_text(1, "a")
    fake_api.push_text(1, "b")
    ids = [u["update_id"] for u in call(fake_api, "getUpdates").json()["result"]]
    assert ids == [first, first + 1]
    assert (
        call(fake_api, "getUpdates", offset=first + 1).json()["result"][0]["update_id"] == first + 1
    )
    assert call(fake_api, "getUpdates", offset=first + 2).json()["result"] == []
    fake_api.push_update({"update_id": first, "message": {}})
    assert [
        u["update_id"] for u in call(fake_api, "getUpdates", offset=first + 2).json()["result"]
    ] == [first]


def test_long_poll_returns_empty_after_its_timeout(fake_api: FakeTelegram) -> None:
    assert call(fake_api, "getUpdates", timeout=1).json() == {"ok": True, "result": []}


def test_errors_look_like_telegrams(fake_api: FakeTelegram) -> None:
    assert call(fake_api, "getMe", token="1:wrong").status_code == 401
    fake_api.fail_next("sendMessage", status=429, retry_after=3)
    limited = call(fake_api, "sendMessage", chat_id=5, text="hi")
    assert limited.status_code == 429
    assert limited.json()["parameters"] == {"retry_after": 3}
    assert call(fake_api, "sendMessage", chat_id=5, text="hi").json()["result"]["chat"]["id"] == 5
    assert call(fake_api, "noSuchMethod").status_code == 404
    call(fake_api, "setWebhook", url="https://x.example/hook", secret_token="s")
    assert call(fake_api, "getUpdates").status_code == 409
    assert call(fake_api, "getWebhookInfo").json()["result"]["url"] == "https://x.example/hook"
    assert [c.status for c in fake_api.calls("sendMessage")] == [429, 200]
    assert fake_api.sent_texts(5) == ["hi"]


def test_a_failure_can_wait_for_the_call_it_is_meant_for(fake_api: FakeTelegram) -> None:
    fake_api.fail_next("sendMessage", status=500, where=lambda p: p.get("text") == "target")
    assert call(fake_api, "sendMessage", chat_id=5, text="other").status_code == 200
    assert call(fake_api, "sendMessage", chat_id=5, text="target").status_code == 500
    assert call(fake_api, "sendMessage", chat_id=5, text="target").status_code == 200


def test_copy_message_get_file_and_download_behave_like_telegrams(fake_api: FakeTelegram) -> None:
    copied = call(fake_api, "copyMessage", chat_id=5, from_chat_id=6, message_id=7).json()
    assert copied["ok"] and set(copied["result"]) == {"message_id"}
    fake_api.add_file("f1", b"OggS-data")
    found = call(fake_api, "getFile", file_id="f1").json()["result"]
    assert found["file_size"] == 9
    url = f"http://127.0.0.1:{fake_api.port}/file/bot{fake_api.token}/{found['file_path']}"
    assert httpx.get(url, timeout=10).content == b"OggS-data"
    assert fake_api.downloads == ["f1"]
    fake_api.add_file("big", b"x", size=21 * 1024 * 1024)
    refused = call(fake_api, "getFile", file_id="big")
    assert refused.status_code == 400 and "too big" in refused.json()["description"]
    assert call(fake_api, "getFile", file_id="nope").status_code == 400


def test_a_file_upload_is_kept_with_its_call(fake_api: FakeTelegram) -> None:
    url = f"http://127.0.0.1:{fake_api.port}/bot{fake_api.token}/sendVoice"
    sent = httpx.post(
        url, data={"chat_id": "5", "caption": "hi"}, files={"voice": ("v.ogg", b"OggS")}, timeout=10
    )
    assert sent.json()["result"]["voice"]["file_id"]
    [recorded] = fake_api.calls("sendVoice")
    assert recorded.files == {"voice": b"OggS"} and recorded.params["caption"] == "hi"
