"""Voice notes, photos and read-aloud: what a file is (by its content), photos cleaned of
their metadata, audio converted with ffmpeg, and speech from text with espeak-ng.

No file is ever written here beyond the temporary copy ffmpeg works on, removed at once:
what is kept, and for how long, is the store's and the handoff's business (docs/media.md).
"""

from bot.media.content import AUDIO, PHOTO, Sniffed, sniff
from bot.media.errors import MediaError, MissingTool
from bot.media.photos import clean_photo
from bot.media.sound import MAX_RECORDING_SECONDS, for_browser, for_telegram_voice
from bot.media.speech import SpeechEngine, speech_engine

__all__ = [
    "AUDIO",
    "MAX_RECORDING_SECONDS",
    "PHOTO",
    "MediaError",
    "MissingTool",
    "Sniffed",
    "SpeechEngine",
    "clean_photo",
    "for_browser",
    "for_telegram_voice",
    "sniff",
    "speech_engine",
]
