"""Over-size bodies are refused with 413 and a JSON error while they stream in, on every route."""

from __future__ import annotations

import contextlib
import io
import json
import select
import socket
from collections.abc import Iterator

import pytest
from PIL import Image
from starlette.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.bodylimit import body_limit
from bot.gateway.startup import Options
from bot.settings import Settings
from tests.conftest import NLG_SECRET
from tests.gateway.conftest import Chat, RecordingHandoff, services
from tests.gateway.fake_rasa import FakeRasa
from tests.gateway.served import serve

CHUNK = 64 * 1024


class Upload:
    """A body of `chunks` pieces sent without Content-Length; counts the pieces the server took."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            self.sent += 1
            yield b"a" * CHUNK


def limit_of(client: TestClient) -> int:
    settings = services(client).settings
    return body_limit(settings.max_request_bytes, settings.max_message_chars)


@pytest.mark.parametrize(
    "path",
    [
        "/api/sessions",
        "/api/sessions/0123/messages",
        "/api/sessions/0123/consent",
        "/nlg",
        "/staff/login",
        "/no/such/route",
    ],
)
def test_an_over_size_body_is_a_413_with_a_json_error_on_every_route(
    client: TestClient, path: str
) -> None:
    upload = Upload(200)  # 12.5 MB
    headers = {"Content-Type": "application/json", "X-NLG-Secret": NLG_SECRET}
    response = client.post(path, content=upload, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert str(limit_of(client)) in response.json()["message"]


def test_a_declared_length_over_the_limit_is_refused_before_reading(client: TestClient) -> None:
    upload = Upload(10)
    size = str(10 * CHUNK)
    response = client.post("/api/sessions", content=upload, headers={"Content-Length": size})
    assert response.status_code == 413 and upload.sent == 0
    assert response.headers["content-type"] == "application/json"


def test_a_body_under_the_limit_still_arrives_whole(chat: Chat, rasa: FakeRasa) -> None:
    padded = b'{"text": "hello"' + b" " * (limit_of(chat.client) - 40) + b"}"
    response = chat.client.post(
        f"/api/sessions/{chat.id}/messages", content=padded, headers=chat.headers
    )
    assert response.status_code == 200, response.text
    assert rasa.messages[-1]["message"] == "hello"


def test_the_limit_is_far_above_the_longest_message(client: TestClient) -> None:
    settings = services(client).settings
    # Every character of the longest message, JSON-escaped at its widest, fits.
    assert limit_of(client) >= 12 * settings.max_message_chars + 100
    assert body_limit(1024, 2000) == 32_000


def test_a_long_crisis_message_reaches_the_screen_before_the_length_refusal(
    chat: Chat, rasa: FakeRasa
) -> None:
    limit = services(chat.client).settings.max_message_chars
    text = "I want to kill myself " + "and nobody would notice " * (limit // 20)
    assert limit < len(text) and len(text.encode()) < limit_of(chat.client)
    reply = chat.post("messages", {"text": text})
    assert reply.status_code == 200, reply.text
    assert any("999" in m["text"] or "Samaritans" in m["text"] for m in reply.json()["messages"])
    assert rasa.messages == []


def test_a_real_server_answers_413_while_a_huge_upload_is_still_streaming(
    settings: Settings, rasa: FakeRasa
) -> None:
    """50 MB sent in chunks: the 413 comes back long before the last chunk is sent.

    Before the limit streamed, the gateway read the whole body first (300 MB took it from
    110 MB to 664 MB of memory), and answered only after the last byte.
    """
    app = create_app(settings, Options(rasa_transport=rasa.transport(), handoff=RecordingHandoff()))
    total = 800  # chunks of 64 KB: 50 MB, far more than the sockets' buffers hold
    with serve(app, settings) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(
                b"POST /api/sessions HTTP/1.1\r\nHost: gateway\r\n"
                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            sent = 0
            chunk = f"{CHUNK:x}\r\n".encode() + b"a" * CHUNK + b"\r\n"
            with contextlib.suppress(OSError):  # the server may close as we write
                while sent < total and not select.select([sock], [], [], 0)[0]:
                    sock.sendall(chunk)
                    sent += 1
            answer = b""
            with contextlib.suppress(OSError):
                while b"}" not in answer:
                    data = sock.recv(65536)
                    if not data:
                        break
                    answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert json.loads(body)["error"] == "too_large"
    assert sent < total / 2, f"the 413 came only after {sent} of {total} chunks"


def test_a_voice_note_or_photo_has_its_own_larger_limit(
    client: TestClient, chat: Chat, handoff: RecordingHandoff
) -> None:
    # A photo of several hundred kilobytes is far over the gateway's limit for JSON bodies:
    # the upload route reads it under its own limit (MAX_UPLOAD_BYTES) instead.
    handoff.active.add(chat.id)
    photo = noisy_jpeg(at_least=3 * limit_of(client))
    response = client.post(f"/api/sessions/{chat.id}/media", content=photo, headers=chat.headers)
    assert response.status_code == 200, response.text
    [media] = handoff.media
    assert media is not None and media.kind == "photo"
    # Over its own limit it is still refused as it streams in, with the same JSON error.
    huge = client.post(f"/api/sessions/{chat.id}/media", content=Upload(200), headers=chat.headers)
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"


def noisy_jpeg(at_least: int) -> bytes:
    """A JPEG of noise (which compresses badly) of at least `at_least` bytes."""
    side = 256
    while True:
        out = io.BytesIO()
        Image.effect_noise((side, side), 100).convert("RGB").save(out, "JPEG", quality=95)
        if out.tell() >= at_least:
            return out.getvalue()
        side *= 2
