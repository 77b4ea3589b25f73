"""What a file is, read from its first bytes (its "magic"), never from its name or the type a
client claims: the only kinds we pass on are photos and recorded audio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PHOTO = "photo"
AUDIO = "audio"


@dataclass(frozen=True)
class Sniffed:
    """A file's kind (photo or audio) and its container, as its content shows it."""

    kind: Literal["photo", "audio"]
    mime_type: str


# Photos a phone or browser sends: JPEG, PNG and WebP (Pillow reads all three).
def _photo(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


# What browsers' MediaRecorder writes (WebM/Opus; MP4/AAC in Safari) and Telegram's voice
# notes (OGG/Opus).
def _audio(head: bytes) -> str | None:
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[4:8] == b"ftyp" and head[8:12] not in _IMAGE_BRANDS:
        return "audio/mp4"
    return None


# ISO files that are still images (an iPhone's HEIC photo), not recordings.
_IMAGE_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"})


def sniff(data: bytes) -> Sniffed | None:
    """The file's kind by its content; None for anything else (a script renamed .jpg, say)."""
    head = data[:16]
    photo = _photo(head)
    if photo is not None:
        return Sniffed("photo", photo)
    audio = _audio(head)
    if audio is not None:
        return Sniffed("audio", audio)
    return None
