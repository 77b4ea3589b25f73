"""Read-aloud with espeak-ng: English and Turkish; no Somali voice exists here."""

from __future__ import annotations

import pytest

from bot.media import MediaError, speech_engine
from bot.media.speech import SpeechEngine, readable
from tests.fakes.samples import probe


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Baby groups near you."), ("tr", "Size yakın bebek grupları.")]
)
def test_english_and_turkish_are_read_aloud(language: str, text: str) -> None:
    engine = speech_engine()
    assert language in engine.languages
    spoken = engine.speak(text, language)
    found = probe(spoken)
    assert found["codec_name"] == "aac" and float(found["duration"]) > 0.5


def test_somali_has_no_voice_rather_than_a_poor_one() -> None:
    engine = speech_engine()
    assert "so" not in engine.languages
    with pytest.raises(MediaError):
        engine.speak("Kooxaha ilmaha", "so")


def test_without_espeak_ng_no_language_is_read_aloud() -> None:
    assert SpeechEngine(None).languages == ()


def test_emoji_are_not_spelled_out() -> None:
    assert readable("👤 Amina:\n📞 Call 999 ☎️") == "Amina: Call 999"
