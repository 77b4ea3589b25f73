"""Photos re-encoded with Pillow before they go anywhere: the new file holds the pixels and
nothing else, so EXIF (GPS position, camera, time), XMP, ICC and text chunks are all gone."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.media.errors import MediaError

# Big enough for a phone photo to stay sharp on a mentor's screen, small enough for Telegram's
# sendPhoto (10 MB, sides adding up to 10,000 pixels).
MAX_SIDE = 2560
# A decompression bomb (a small file that opens as a huge image) is refused before decoding.
MAX_PIXELS = 50_000_000
QUALITY = 85


def clean_photo(data: bytes) -> bytes:
    """The photo as a fresh JPEG without any metadata, upright, at most MAX_SIDE a side."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise MediaError("photo too large in pixels")
                # The orientation tag goes with the rest of EXIF: turn the pixels first.
                upright = ImageOps.exif_transpose(opened)
                image = _flattened(upright)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise MediaError(f"unreadable photo: {type(error).__name__}") from error
    except Image.DecompressionBombWarning as error:
        raise MediaError("photo too large in pixels") from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    # No exif=, icc_profile= or comment=: Pillow writes none of them.
    image.save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def _flattened(image: Image.Image) -> Image.Image:
    """RGB pixels; a transparent background becomes white rather than black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return image.convert("RGB")
