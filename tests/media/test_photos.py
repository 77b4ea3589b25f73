"""Photos lose every bit of metadata (EXIF, GPS above all) before they go anywhere."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.media import MediaError, clean_photo
from bot.media.photos import MAX_SIDE
from tests.fakes.samples import has_metadata, photo_with_gps


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_gps_and_every_other_tag_are_gone(fmt: str) -> None:
    original = photo_with_gps(fmt=fmt)
    assert has_metadata(original)
    cleaned = clean_photo(original)
    assert not has_metadata(cleaned)
    assert b"PhoneMaker" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG"


def test_the_photo_stays_upright_once_its_orientation_tag_is_gone() -> None:
    # 64 wide, 48 high, tagged "turn 90°": the clean copy is turned for real.
    with Image.open(io.BytesIO(clean_photo(photo_with_gps((64, 48))))) as image:
        assert image.size == (48, 64)


def test_a_huge_photo_is_made_smaller() -> None:
    out = io.BytesIO()
    Image.new("RGB", (MAX_SIDE * 2, 100), "white").save(out, "PNG")
    with Image.open(io.BytesIO(clean_photo(out.getvalue()))) as image:
        assert max(image.size) == MAX_SIDE


def test_a_transparent_background_becomes_white() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    with Image.open(io.BytesIO(clean_photo(out.getvalue()))) as image:
        assert image.getpixel((5, 5)) == (255, 255, 255)


def test_a_damaged_or_false_photo_is_refused() -> None:
    with pytest.raises(MediaError):
        clean_photo(b"\xff\xd8\xff\xe0 not really a jpeg")


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # a few kilobytes, 81 megapixels
    with pytest.raises(MediaError):
        clean_photo(out.getvalue())
