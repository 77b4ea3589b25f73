"""Read-aloud: the assistant's replies spoken by espeak-ng, offline, from Debian.

espeak-ng has voices for English and Turkish. It has none for Somali, and no offline Somali
voice is installable here from Debian or PyPI (docs/media.md#read-aloud), so Somali has no
read-aloud button rather than a poor one.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from bot.media.errors import MediaError
from bot.media.sound import TIMEOUT_SECONDS, for_browser, for_telegram_voice

# Our languages → espeak-ng's voices. Somali is left out on purpose (see above).
VOICES = {"en": "en-gb", "tr": "tr"}
# Words per minute: a little slower than espeak-ng's 175, for listeners new to the language.
SPEED = 150
# The longest text read aloud (a service card with its address and times fits easily).
MAX_CHARS = 4000
# 4,000 characters at that speed take about 6 minutes.
MAX_SECONDS = 600


@dataclass(frozen=True)
class SpeechEngine:
    """espeak-ng, where it is installed; `languages` are those it can read aloud."""

    command: str | None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(VOICES) if self.command else ()

    def speak(self, text: str, language: str) -> bytes:
        """`text` read aloud in `language`, as MP4/AAC for a browser."""
        return for_browser(self._wav(text, language))

    def speak_voice_note(self, text: str, language: str) -> bytes:
        """`text` read aloud in `language`, as a Telegram voice note (OGG/Opus)."""
        return for_telegram_voice(self._wav(text, language), max_seconds=MAX_SECONDS)

    def _wav(self, text: str, language: str) -> bytes:
        voice = VOICES.get(language)
        if self.command is None or voice is None:
            raise MediaError(f"no read-aloud voice for {language}")
        spoken = readable(text)[:MAX_CHARS]
        if not spoken:
            raise MediaError("nothing to read aloud")
        command = [self.command, "-v", voice, "-s", str(SPEED), "--stdin", "--stdout"]
        try:
            done = subprocess.run(
                command,
                input=spoken.encode(),
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise MediaError("espeak-ng took too long") from error
        if done.returncode != 0 or not done.stdout:
            raise MediaError("espeak-ng failed")
        return done.stdout


def speech_engine() -> SpeechEngine:
    """espeak-ng if it is on PATH (`make system-deps` installs it), else none."""
    return SpeechEngine(shutil.which("espeak-ng"))


def readable(text: str) -> str:
    """The text without emoji and other symbols, which espeak-ng would spell out by name."""
    kept = [" " if _symbol(char) else char for char in text]
    return " ".join("".join(kept).split())


def _symbol(char: str) -> bool:
    # Emoji, their variation selectors (U+FE0E, U+FE0F) and the joiner that builds them.
    return (
        unicodedata.category(char) in ("So", "Sk", "Cs")
        or "\ufe00" <= char <= "\ufe0f"
        or char == "\u200d"
    )
