"""The web chat's media routes without a mentor: status, the "text only" answer to an upload,
read-aloud, and the token only ever taken from the Authorization header."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.conversations.notice import telegram_notice, web_notice
from bot.gateway import replies
from bot.gateway.strings import page_strings
from tests.fakes.samples import probe, recording
from tests.gateway.conftest import Chat, RecordingHandoff


def test_status_says_whether_a_mentor_is_here_and_which_languages_are_read_aloud(
    client: TestClient, chat: Chat, handoff: RecordingHandoff
) -> None:
    found = client.get(f"/api/sessions/{chat.id}/media", headers=chat.headers).json()
    assert found["mentor"] is False
    assert found["read_aloud"] == ["en", "tr"]  # no offline Somali voice
    assert found["max_seconds"] == 120
    handoff.active.add(chat.id)
    assert client.get(f"/api/sessions/{chat.id}/media", headers=chat.headers).json()["mentor"]
    # The token in the URL opens nothing.
    anonymous = client.get(f"/api/sessions/{chat.id}/media", params={"token": chat.token})
    assert anonymous.status_code == 401


def test_an_upload_outside_a_conversation_with_a_mentor_gets_text_only_with_urgent_help(
    client: TestClient, chat: Chat, handoff: RecordingHandoff
) -> None:
    response = client.post(
        f"/api/sessions/{chat.id}/media", content=recording("webm"), headers=chat.headers
    )
    assert response.status_code == 200, response.text
    [answer] = response.json()["messages"]
    assert answer["text"] == replies.not_text("en").text
    assert "call 999, or call NHS 111 and choose the mental health option" in answer["text"]
    assert [b["title"] for b in answer["buttons"]] == ["Talk to a person who can listen"]
    assert handoff.media == []  # nothing went anywhere


def test_in_somali_the_text_only_reply_is_somali_and_ends_with_the_urgent_line(
    client: TestClient,
) -> None:
    somali = Chat(client, "so")
    response = client.post(
        f"/api/sessions/{somali.id}/media", content=recording("webm"), headers=somali.headers
    )
    [answer] = response.json()["messages"]
    assert answer["text"] == replies.not_text("so").text
    assert answer["text"] != replies.not_text("en").text
    assert answer["text"].rstrip().endswith("NHS 111 oo dooro caafimaadka maskaxda.")


def test_a_voice_note_in_a_conversation_with_a_mentor_goes_to_the_handoff_converted(
    client: TestClient, chat: Chat, handoff: RecordingHandoff
) -> None:
    handoff.active.add(chat.id)
    response = client.post(
        f"/api/sessions/{chat.id}/media", content=recording("mp4"), headers=chat.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["messages"] == []
    [media] = handoff.media
    assert media is not None and media.kind == "voice" and media.mime_type == "audio/ogg"
    assert media.data is not None and probe(media.data)["codec_name"] == "opus"


def test_read_aloud_in_english_and_turkish_but_not_somali(client: TestClient, chat: Chat) -> None:
    url = f"/api/sessions/{chat.id}/speech"
    spoken = client.post(url, json={"text": "Baby groups near you."}, headers=chat.headers)
    assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/mp4"
    assert probe(spoken.content)["codec_name"] == "aac"
    turkish = client.post(url, json={"text": "Merhaba", "language": "tr"}, headers=chat.headers)
    assert turkish.status_code == 200
    somali = client.post(url, json={"text": "Salaan", "language": "so"}, headers=chat.headers)
    assert somali.status_code == 404 and somali.json()["error"] == "no_voice"
    assert client.post(url, json={"text": "hi"}).status_code == 401


def test_the_page_gets_its_media_words_in_each_language() -> None:
    for language in ("en", "so", "tr"):
        strings = page_strings(language, 30, 2000)["strings"]
        assert isinstance(strings, dict)
        for key in ("record", "stop_send", "attach_photo", "listen", "media_note"):
            assert strings[key]
    somali = page_strings("so", 30, 2000)["strings"]
    assert isinstance(somali, dict) and somali["record"] == "Duub fariin cod ah"


def test_the_embed_snippet_lets_the_frame_use_the_microphone(client: TestClient) -> None:
    script = client.get("/embed.js").text
    assert 'frame.setAttribute("allow", "microphone")' in script


def test_the_pages_security_policy_allows_blob_media_and_nothing_inline(
    client: TestClient,
) -> None:
    policy = client.get("/").headers["content-security-policy"]
    rules = {rule.split()[0]: rule.split()[1:] for rule in policy.split(";") if rule.strip()}
    # A mentor's voice note and photo play from blob: URLs made from a fetch with the token
    # in a header.
    assert "blob:" in rules["media-src"] and "blob:" in rules["img-src"]
    assert rules["default-src"] == ["'none'"]
    assert rules["script-src"] == ["'self'"] and rules["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    # Only the councils in FRAME_ANCESTORS may frame it (embed.js); none are set here.
    assert rules["frame-ancestors"] == ["'none'"]


def test_the_privacy_notice_says_what_is_kept_of_voice_notes_and_photos() -> None:
    english = telegram_notice("en", 30)
    assert "We keep no copy once they have it" in english
    assert (
        "If you delete your data within 48 hours of sending, we delete their copy too." in english
    )
    assert web_notice("en", 30).count("Voice notes and photos") == 1
    for language in ("so", "tr"):
        # Translated, and the 48 hours kept.
        for notice in (telegram_notice(language, 30), web_notice(language, 30)):
            assert "Voice notes and photos" not in notice and "48" in notice


def test_a_file_id_no_row_can_have_is_not_found_not_a_server_error(
    client: TestClient, chat: Chat
) -> None:
    """Found by schemathesis: an id past 64 bits made SQLite raise, and the page got a 500."""
    for file_id in (0, 2**63, 10**30):
        found = client.get(f"/api/sessions/{chat.id}/media/{file_id}", headers=chat.headers)
        assert found.status_code == 404, (file_id, found.text)
        assert found.json()["error"] == "not_found"
