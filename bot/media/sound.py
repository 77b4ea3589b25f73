"""Audio converted with ffmpeg (Debian's, installed by `make system-deps`).

- For Telegram, a voice note must be OGG/Opus; browsers record WebM/Opus or MP4/AAC.
- For a web chat page, MP4/AAC plays in every browser (Safari too); Telegram's voice notes
  and our read-aloud are converted to it.

Every conversion drops the input's metadata and any video. ffmpeg works on a temporary copy,
in a folder removed as soon as it has finished.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.media.errors import MediaError, MissingTool

log = logging.getLogger(__name__)

# The web chat's recorder stops at 2 minutes; anything longer is cut here (a little slack for
# the browser's own timing).
MAX_RECORDING_SECONDS = 120
_CUT_SECONDS = MAX_RECORDING_SECONDS + 5
# A voice note of any length converts in a few seconds; this only stops a stuck ffmpeg.
TIMEOUT_SECONDS = 60
_COMMON = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise MissingTool("ffmpeg is not installed: run `make system-deps`")
    return found


def for_telegram_voice(data: bytes, max_seconds: float = _CUT_SECONDS) -> bytes:
    """A recording as a Telegram voice note: OGG/Opus, mono, at most `max_seconds`."""
    options = ["-t", str(max_seconds), "-ac", "1", "-ar", "48000"]
    codec = ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"]
    return _convert(data, [*options, *codec], "voice.ogg")


def for_browser(data: bytes, max_seconds: float | None = None) -> bytes:
    """Audio as MP4/AAC (an .m4a file), which every browser's <audio> plays."""
    options = ["-t", str(max_seconds)] if max_seconds else []
    codec = ["-ac", "1", "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"]
    return _convert(data, [*options, *codec], "sound.m4a")


def _convert(data: bytes, options: list[str], name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="familyhub-media-") as folder:
        source, target = Path(folder) / "in", Path(folder) / name
        source.write_bytes(data)
        command = [ffmpeg(), *_COMMON, "-i", str(source), "-vn", "-map_metadata", "-1"]
        command += ["-map", "0:a:0", *options, str(target)]
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise MediaError("ffmpeg took too long") from error
        if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            # ffmpeg's own words name the problem, never the content.
            log.info("ffmpeg refused a file: %s", done.stderr.decode(errors="replace")[-200:])
            raise MediaError("unreadable audio")
        return target.read_bytes()
