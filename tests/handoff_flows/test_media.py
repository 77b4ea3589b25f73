"""Voice notes, photos, video notes and files between parents and mentors, through the real
gateway on the fake Bot API: Telegram both ways, the web chat both ways, the crisis screen on
captions, files too large, and what is kept (nothing after delivery; erasure at once)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.gateway import replies
from bot.store.models import MediaFile, RelayLink, utcnow
from tests.fakes.samples import has_metadata, photo_with_gps, probe, recording
from tests.fakes.telegram_api import Call, FakeTelegram, media_update
from tests.handoff_flows.conftest import (
    Gateway,
    WebParent,
    accept,
    register,
    to_chat,
    wait_until,
    web_parent_with_mentor,
)

AMINA = 2001
PARENT, OTHER_PARENT = 71, 72
CRISIS = "I want to kill myself"


def copies(fake_api: FakeTelegram, chat_id: int) -> list[Call]:
    return [c for c in fake_api.calls("copyMessage") if c.params.get("chat_id") == chat_id]


def to(chat_id: int) -> Any:
    return lambda call: call.params.get("chat_id") == chat_id


def kept(gateway: Gateway) -> int:
    """How many voice notes and photos the database holds."""
    with gateway.services.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(MediaFile)) or 0)


def links(gateway: Gateway) -> list[int]:
    """The Telegram ids of the messages put in the mentor's chat (to Reply to), in order."""
    with gateway.services.db.session() as session:
        found = session.scalars(select(RelayLink).order_by(RelayLink.id)).all()
        return [int(link.telegram_message_id) for link in found]


async def telegram_parent_with_mentor(fake_api: FakeTelegram, parent: int, number: int) -> None:
    fake_api.push_text(parent, "/human")
    await accept(fake_api, AMINA, number)


async def upload(parent: WebParent, data: bytes, token: str | None = None) -> httpx.Response:
    return await parent.gateway.client.post(
        f"/api/sessions/{parent.id}/media",
        content=data,
        headers={"Authorization": f"Bearer {token or parent.token}", "Content-Type": "image/png"},
    )


async def next_from(stream: asyncio.Queue, match: Any, timeout: float = 10.0) -> dict:  # type: ignore[type-arg]
    async with asyncio.timeout(timeout):
        while True:
            message = await stream.get()
            if match(message):
                return message  # type: ignore[no-any-return]


# --- Telegram, both ways ---------------------------------------------------------------------


async def test_voice_photo_and_document_both_ways_on_telegram_with_reply_threading(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    await telegram_parent_with_mentor(fake_api, PARENT, 1)
    await telegram_parent_with_mentor(fake_api, OTHER_PARENT, 2)

    # A parent's voice note reaches the mentor as a copy, marked and "not screened".
    before = 4  # each parent's alert and opening message, which the mentor may Reply to
    await wait_until(lambda: len(links(gateway)) == before)
    fake_api.push_update(media_update(OTHER_PARENT, "voice", message_id=50))
    [voice] = await fake_api.wait_for_call("copyMessage", where=to(AMINA))
    assert (voice.params["from_chat_id"], voice.params["message_id"]) == (OTHER_PARENT, 50)
    assert voice.params["caption"] == "💬 Parent #2 · voice note, not screened:"

    # The mentor holds two conversations: Reply on that voice note reaches parent #2 only,
    # with a photo and its caption, marked as from a person.
    await wait_until(lambda: len(links(gateway)) == before + 1)
    reply_to = links(gateway)[-1]
    fake_api.push_update(
        media_update(AMINA, "photo", message_id=60, caption="Look", reply_to=reply_to)
    )
    [photo] = await fake_api.wait_for_call("copyMessage", where=to(OTHER_PARENT))
    assert (photo.params["from_chat_id"], photo.params["message_id"]) == (AMINA, 60)
    assert photo.params["caption"] == "👤 Amina (Manor Gardens):\nLook"
    assert copies(fake_api, PARENT) == []

    # A document both ways, and a voice note from the mentor, for parent #1 (by Reply).
    fake_api.push_update(media_update(PARENT, "document", message_id=51, caption="my letter"))
    await fake_api.wait_for_call("copyMessage", 2, where=to(AMINA))
    document = copies(fake_api, AMINA)[-1]
    assert document.params["caption"] == "💬 Parent #1 · file:\nmy letter"
    await wait_until(lambda: len(links(gateway)) == before + 2)
    fake_api.push_update(
        media_update(AMINA, "document", message_id=61, reply_to=links(gateway)[-1])
    )
    [back] = await fake_api.wait_for_call("copyMessage", where=to(PARENT))
    assert back.params["message_id"] == 61
    assert back.params["caption"].startswith("👤 Amina (Manor Gardens):")
    # Nothing was downloaded or kept: copies only.
    assert fake_api.downloads == [] and fake_api.calls("getFile") == []
    assert kept(gateway) == 0


async def test_a_video_note_is_marked_in_a_message_just_before_it(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    await telegram_parent_with_mentor(fake_api, PARENT, 1)
    fake_api.push_update(media_update(PARENT, "video_note", message_id=70))
    [copy] = await fake_api.wait_for_call("copyMessage", where=to(AMINA))
    assert "caption" not in copy.params  # a video note takes none
    marking = fake_api._matching("sendMessage", to_chat(AMINA, "video note, not screened"))
    assert len(marking) == 1 and marking[0].at < copy.at
    assert marking[0].params["text"] == "💬 Parent #1 · video note, not screened:"


async def test_a_caption_with_crisis_words_is_answered_and_reaches_the_mentor_as_urgent(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    await telegram_parent_with_mentor(fake_api, PARENT, 1)
    fake_api.push_update(media_update(PARENT, "photo", message_id=80, caption=CRISIS))
    # The parent gets the crisis reply at once (999 and the helplines).
    await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "999"))
    [copy] = await fake_api.wait_for_call("copyMessage", where=to(AMINA))
    assert copy.params["caption"] == f"⚠️ URGENT: possible crisis. Parent #1 · photo:\n{CRISIS}"


async def test_outside_a_conversation_with_a_mentor_a_voice_note_gets_text_only_and_urgent_help(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    fake_api.push_text(PARENT, "/start en")
    await fake_api.wait_for_call("sendMessage", 3, where=to(PARENT))
    fake_api.push_update(media_update(PARENT, "voice", message_id=90))
    answer = (await fake_api.wait_for_call("sendMessage", 4, where=to(PARENT)))[-1]
    expected = replies.not_text("en")
    assert answer.params["text"] == expected.text
    assert answer.params["text"].endswith(
        "If you need help urgently, call 999, or call NHS 111 and choose the mental health option."
    )
    keyboard = answer.params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in keyboard for b in row] == ["Talk to a person who can listen"]
    assert fake_api.calls("copyMessage") == []


# --- the web chat, both ways ------------------------------------------------------------------


async def test_a_web_parents_voice_note_reaches_the_mentor_as_a_voice_note_and_is_not_kept(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    response = await upload(parent, recording("webm"))
    assert response.status_code == 200, response.text
    assert response.json()["shown"] == "🎤 Voice note"
    [sent] = await fake_api.wait_for_call("sendVoice", where=to(AMINA))
    voice = sent.files["voice"]
    assert voice.startswith(b"OggS") and probe(voice)["codec_name"] == "opus"
    assert sent.params["caption"] == "💬 Parent #1 · voice note, not screened:"
    await wait_until(lambda: kept(gateway) == 0)
    # The parent's side of the transcript says what was sent; no file.
    assert "🎤 Voice note" in [m.text for m in gateway.transcript(parent.id)]


async def test_a_web_parents_photo_reaches_the_mentor_without_its_gps(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    original = photo_with_gps(fmt="PNG")
    assert has_metadata(original)
    response = await upload(parent, original)
    assert response.status_code == 200, response.text
    [sent] = await fake_api.wait_for_call("sendPhoto", where=to(AMINA))
    photo = sent.files["photo"]
    assert photo.startswith(b"\xff\xd8\xff") and not has_metadata(photo)
    assert sent.params["caption"] == "💬 Parent #1 · photo:"
    await wait_until(lambda: kept(gateway) == 0)


async def test_a_mentors_voice_note_and_photo_reach_a_web_parent_for_the_token_holder_only(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    fake_api.add_file("mentor-voice", recording("ogg"))
    fake_api.add_file("mentor-photo", photo_with_gps())
    async with parent.events() as stream:
        fake_api.push_update(media_update(AMINA, "voice", file_id="mentor-voice", message_id=7))
        voice = await next_from(stream, lambda m: m["sender"] == "mentor" and "media" in m)
        fake_api.push_update(
            media_update(AMINA, "photo", file_id="mentor-photo", message_id=8, caption="Here")
        )
        photo = await next_from(stream, lambda m: m.get("media", {}).get("kind") == "photo")
    assert voice["sender_name"] == "Amina (Manor Gardens)" and voice["text"] == ""
    assert photo["text"] == "Here"
    client = gateway.client
    url = f"/api/sessions/{parent.id}/media/{voice['media']['file_id']}"
    played = await client.get(url, headers={"Authorization": f"Bearer {parent.token}"})
    assert played.status_code == 200 and played.headers["content-type"] == "audio/mp4"
    assert probe(played.content)["codec_name"] == "aac"
    assert played.headers["cache-control"] == "no-store"
    url = f"/api/sessions/{parent.id}/media/{photo['media']['file_id']}"
    shown = await client.get(url, headers={"Authorization": f"Bearer {parent.token}"})
    assert shown.headers["content-type"] == "image/jpeg" and not has_metadata(shown.content)
    # The token only ever goes in a header: in the URL it opens nothing.
    assert (await client.get(url, params={"token": parent.token})).status_code == 401
    other = await WebParent(gateway).open("en")
    stolen = await client.get(url, headers={"Authorization": f"Bearer {other.token}"})
    assert stolen.status_code == 403
    # Kept as long as the transcript, for this parent: two files.
    assert kept(gateway) == 2


async def test_a_mentors_file_too_large_for_the_web_chat_is_refused_with_a_clear_message(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    fake_api.add_file("huge", recording("ogg"), size=25 * 1024 * 1024)
    fake_api.push_update(media_update(AMINA, "voice", file_id="huge", message_id=9))
    told = await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "too large"))
    assert "20 MB" in told[0].params["text"]
    # Telegram too refuses to hand it over when the update does not give its size.
    fake_api.push_update(media_update(AMINA, "audio", file_id="huge", message_id=10))
    await fake_api.wait_for_call("sendMessage", 2, where=to_chat(AMINA, "too large"))
    assert fake_api.downloads == []
    assert not [m for m in gateway.transcript(parent.id) if (m.extra or {}).get("media")]
    # A video note cannot be shown in the web chat: the mentor is told what can.
    fake_api.push_update(media_update(AMINA, "video_note", message_id=11))
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "only voice notes and photos"))
    assert kept(gateway) == 0


# --- uploads: refusals, and erasure -----------------------------------------------------------


async def test_uploads_of_the_wrong_type_too_big_or_with_a_bad_token_are_refused(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    script = await upload(parent, b"<script>alert(1)</script>")  # sent as image/png
    assert script.status_code == 415 and script.json()["error"] == "unsupported_type"
    assert "photo" in script.json()["message"]
    big = recording("webm") + b"\0" * (5 * 1024 * 1024)
    too_big = await upload(parent, big)
    assert too_big.status_code == 413 and too_big.json()["message"] == "The file is over 5 MB."
    huge = await upload(parent, b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024))
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    forged = await upload(parent, recording("webm"), token="not-the-token")
    assert forged.status_code == 403 and forged.json()["error"] == "forbidden"
    anonymous = await parent.gateway.client.post(
        f"/api/sessions/{parent.id}/media", content=recording("webm")
    )
    assert anonymous.status_code == 401
    damaged = await upload(parent, b"\x1a\x45\xdf\xa3" + b"\x01" * 200)
    assert damaged.status_code == 415 and damaged.json()["error"] == "unreadable"
    assert fake_api.calls("sendVoice") == [] and fake_api.calls("sendPhoto") == []
    assert kept(gateway) == 0


async def test_erasure_removes_a_file_still_waiting_for_delivery_at_once(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    parent = await web_parent_with_mentor(fake_api, gateway, AMINA)
    for _ in range(3):  # Telegram is failing: the voice note waits in the outbox
        fake_api.fail_next("sendVoice", status=500)
    response = await upload(parent, recording("webm"))
    assert response.status_code == 200, response.text
    await wait_until(lambda: len(fake_api.calls("sendVoice")) >= 1)
    assert kept(gateway) == 1
    erased = await parent.gateway.client.delete(
        f"/api/sessions/{parent.id}", headers={"Authorization": f"Bearer {parent.token}"}
    )
    assert erased.status_code == 200
    assert kept(gateway) == 0
    await asyncio.sleep(0.5)
    assert [c for c in fake_api.calls("sendVoice") if c.status == 200] == []


def link_rows(gateway: Gateway) -> list[RelayLink]:
    """What the bot put in the mentor's chat, in order."""
    with gateway.services.db.session() as session:
        found = session.scalars(select(RelayLink).order_by(RelayLink.id)).all()
        session.expunge_all()
        return list(found)


async def test_erasure_deletes_the_parents_media_from_the_mentors_chat_within_48_hours(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    await register(fake_api, gateway, AMINA, "Amina", "en")
    await telegram_parent_with_mentor(fake_api, PARENT, 1)
    before = set(fake_api.messages_in(AMINA))
    fake_api.push_update(media_update(PARENT, "voice", message_id=50))
    await fake_api.wait_for_call("copyMessage", where=to(AMINA))
    fake_api.push_update(media_update(PARENT, "photo", message_id=51))
    await fake_api.wait_for_call("copyMessage", 2, where=to(AMINA))
    # A video note takes no caption: its "Parent #N" marker is a message of its own, and goes too.
    fake_api.push_update(media_update(PARENT, "video_note", message_id=52))
    await fake_api.wait_for_call("copyMessage", 3, where=to(AMINA))
    fake_api.push_text(PARENT, "and some words")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "and some words"))
    copies = set(fake_api.messages_in(AMINA)) - before
    assert len(copies) == 5  # voice, photo, the video note's marker and the note, the words
    await wait_until(lambda: {int(r.telegram_message_id) for r in link_rows(gateway)} >= copies)
    # The photo went 49 hours ago: Telegram no longer lets the bot delete it.
    voice_id, photo_id = sorted(copies)[:2]
    with gateway.services.db.session() as session:
        for row in session.scalars(
            select(RelayLink).where(RelayLink.telegram_message_id == photo_id)
        ):
            row.created_at = utcnow() - timedelta(hours=49)
    fake_api.age(AMINA, photo_id, hours=49)

    fake_api.push_text(PARENT, "/forget")
    await fake_api.wait_for_call(
        "sendMessage",
        where=lambda c: c.params.get("chat_id") == PARENT and "forget:yes" in str(c.params),
    )
    fake_api.push_callback(PARENT, "forget:yes")
    await fake_api.wait_for_call("sendMessage", where=to_chat(AMINA, "delete their data"))
    # The voice note, the video note and its marker, and the words go from the mentor's chat;
    # the older photo stays (and is not even asked for).
    await wait_until(lambda: (AMINA, voice_id) in fake_api.deleted)
    await wait_until(
        lambda: copies - {photo_id} <= {m for (c, m) in fake_api.deleted if c == AMINA}
    )
    assert (AMINA, photo_id) not in fake_api.deleted
    asked_for = {
        (c.params["chat_id"], i)
        for c in fake_api.calls("deleteMessages")
        for i in c.params["message_ids"]
    }
    assert (AMINA, photo_id) not in asked_for
    assert links(gateway) == []


# --- read-aloud on Telegram -------------------------------------------------------------------


def listen_buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    rows = markup.get("inline_keyboard", [])
    return [
        b["callback_data"] for row in rows for b in row if b["callback_data"].startswith("listen:")
    ]


async def test_the_assistants_reply_can_be_listened_to_in_english_but_not_in_somali(
    fake_api: FakeTelegram, gateway: Gateway
) -> None:
    fake_api.push_text(PARENT, "/start en")
    fake_api.push_text(PARENT, "hello")
    [echo] = await fake_api.wait_for_call("sendMessage", where=to_chat(PARENT, "echo: hello"))
    assert listen_buttons(echo) == ["listen:en"]
    fake_api.push_callback(PARENT, "listen:en", message_id=5, text=echo.params["text"])
    [voice] = await fake_api.wait_for_call("sendVoice", where=to(PARENT), timeout=20)
    assert voice.params["reply_parameters"]["message_id"] == 5
    found = probe(voice.files["voice"])
    assert found["codec_name"] == "opus" and float(found["duration"]) > 0.3

    fake_api.push_text(OTHER_PARENT, "/start so", language_code="so")
    fake_api.push_text(OTHER_PARENT, "salaan", language_code="so")
    [somali] = await fake_api.wait_for_call(
        "sendMessage", where=to_chat(OTHER_PARENT, "echo: salaan")
    )
    assert listen_buttons(somali) == []  # no offline Somali voice: no button
