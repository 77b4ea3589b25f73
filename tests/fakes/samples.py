"""Small real media files for tests, made on the spot: recordings with ffmpeg (as a browser or
Telegram would make them) and photos with Pillow (one with a GPS position in its EXIF)."""

from __future__ import annotations

import functools
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

# EXIF tags: Orientation, the GPS block, and within it latitude and longitude.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
GPS_LATITUDE = 2
GPS_LONGITUDE = 4


@functools.cache
def recording(container: str, seconds: float = 1.0) -> bytes:
    """A tone of `seconds`, as `webm` (Chromium's MediaRecorder, Opus), `ogg` (a Telegram
    voice note, Opus) or `mp4` (Safari's MediaRecorder, AAC)."""
    codec = {"webm": "libopus", "ogg": "libopus", "mp4": "aac"}[container]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"tone.{container}"
        subprocess.run(
            [
                "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                "-metadata", "title=secret title", "-c:a", codec, str(target),
            ],
            check=True,
        )  # fmt: skip
        return target.read_bytes()


def probe(data: bytes) -> dict[str, str]:
    """ffprobe's view of a recording: its container, codec and duration in seconds."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in"
        source.write_bytes(data)
        found = subprocess.run(
            [
                "ffprobe", "-v", "error", "-show_entries",
                "format=format_name,duration:stream=codec_name:format_tags",
                "-of", "default=noprint_wrappers=1", str(source),
            ],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    pairs = (line.split("=", 1) for line in found.splitlines() if "=" in line)
    return {key.lower(): value for key, value in pairs}


def photo_with_gps(size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> bytes:
    """A photo whose EXIF holds a GPS position (London), a camera and an orientation tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # turned: the viewer rotates it 90° clockwise
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {
        1: "N",
        GPS_LATITUDE: (51.0, 32.0, 0.0),
        3: "W",
        GPS_LONGITUDE: (0.0, 7.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def has_metadata(photo: bytes) -> bool:
    """Whether a photo still carries EXIF (any of it) or an ICC profile."""
    with Image.open(io.BytesIO(photo)) as image:
        return bool(image.getexif()) or "exif" in image.info or "icc_profile" in image.info
