"""The one error of this package: a file that cannot be read or converted."""

from __future__ import annotations


class MediaError(ValueError):
    """The file is not what it claims, is damaged, or a tool it needs is missing.

    The message names the cause for logs and never holds any of the file.
    """


class MissingTool(MediaError):
    """ffmpeg or espeak-ng is not installed (`make system-deps` installs both)."""
