"""A file's type is read from its content, never from its name or the type a client claims."""

from __future__ import annotations

import pytest

from bot.media import sniff
from tests.fakes.samples import photo_with_gps, recording


@pytest.mark.parametrize(
    ("container", "mime_type"),
    [("webm", "audio/webm"), ("ogg", "audio/ogg"), ("mp4", "audio/mp4")],
)
def test_recordings_are_known_by_their_first_bytes(container: str, mime_type: str) -> None:
    found = sniff(recording(container))
    assert found is not None and (found.kind, found.mime_type) == ("audio", mime_type)


@pytest.mark.parametrize(
    ("fmt", "mime_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_photos_are_known_by_their_first_bytes(fmt: str, mime_type: str) -> None:
    found = sniff(photo_with_gps(fmt=fmt))
    assert found is not None and (found.kind, found.mime_type) == ("photo", mime_type)


@pytest.mark.parametrize(
    "data",
    [
        b"<script>alert(1)</script>",
        b"%PDF-1.7\n",
        b"MZ\x90\x00",  # a Windows program
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",  # an iPhone's HEIC photo, not audio
        b"",
    ],
)
def test_anything_else_is_nothing_we_pass_on(data: bytes) -> None:
    assert sniff(data) is None
