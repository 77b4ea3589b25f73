"""Recordings converted with ffmpeg: to a Telegram voice note, and for a browser."""

from __future__ import annotations

import pytest

from bot.media import MediaError, for_browser, for_telegram_voice
from tests.fakes.samples import probe, recording


@pytest.mark.parametrize("container", ["webm", "mp4", "ogg"])
def test_a_browsers_recording_becomes_a_telegram_voice_note(container: str) -> None:
    voice = for_telegram_voice(recording(container))
    found = probe(voice)
    assert voice.startswith(b"OggS")
    assert found["format_name"] == "ogg" and found["codec_name"] == "opus"
    # The recording's own metadata (a title here) is not passed on.
    assert "secret title" not in str(found) and b"secret title" not in voice


def test_a_telegram_voice_note_becomes_aac_for_any_browser() -> None:
    played = for_browser(recording("ogg"))
    found = probe(played)
    assert played[4:8] == b"ftyp"
    assert found["codec_name"] == "aac" and "mp4" in found["format_name"]


def test_a_recording_is_cut_at_the_limit() -> None:
    voice = for_telegram_voice(recording("webm", seconds=3.0), max_seconds=1)
    assert float(probe(voice)["duration"]) < 1.5


def test_a_false_recording_is_refused() -> None:
    with pytest.raises(MediaError):
        for_telegram_voice(b"\x1a\x45\xdf\xa3 but nothing after the header")
