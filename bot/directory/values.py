"""Checks for single values partners type: ids, days, times, dates, phone numbers, emails, links."""

from __future__ import annotations

import difflib
import os
import re
from datetime import date, time
from functools import lru_cache

from babel import Locale

from bot.directory.schema import DAYS


class Invalid(ValueError):
    """A value is wrong; the message says how, in plain words."""


_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
_PHONE_JUNK = re.compile(r"[\s\-().]")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$")
_SHORT_NUMBERS = {"999", "111", "112", "101", "105", "119"}


def _closeness(word: str, option: str) -> float:
    """How alike two names are (0-1), discounting the start they share.

    Ids often share a start ("hub-a", "hub-north"), which alone makes any two look alike:
    what differs after it must be alike too. A name cut short ("hub-nort") is close.
    """
    if len(word) >= 3 and option.startswith(word):
        return 1.0
    shared = len(os.path.commonprefix([word, option]))
    rest_word, rest_option = word[shared:], option[shared:]
    if (
        rest_word
        and rest_option
        and difflib.SequenceMatcher(None, rest_word, rest_option).ratio() < 0.5
    ):
        return 0.0
    return difflib.SequenceMatcher(None, word, option).ratio()


def did_you_mean(value: str, options: tuple[str, ...] | list[str]) -> str:
    """`; did you mean 'x'?` when an option is close to `value`, else nothing."""
    word = value.lower()
    scored = [(_closeness(word, option), option[:1] == word[:1], option) for option in options]
    best = max(scored, default=None)
    return f"; did you mean '{best[2]}'?" if best and best[0] >= 0.6 else ""


def one_of(value: str, options: tuple[str, ...], what: str) -> str:
    """`value` when it is one of `options`, else a message listing them."""
    if value in options:
        return value
    hint = did_you_mean(value, options) or f"; use one of: {', '.join(options)}"
    raise Invalid(f"'{value}' is not a known {what}{hint}")


def slug(value: str, what: str = "id") -> str:
    """A lowercase id made of letters, digits and hyphens."""
    if not _SLUG.match(value):
        example = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-service"
        raise Invalid(
            f"{what} '{value}' can only use lowercase letters, digits and hyphens, e.g. '{example}'"
        )
    return value


@lru_cache(maxsize=4096)
def day(value: str) -> int:
    """A day of the week (Monday is 0); full names or three-letter forms, any case."""
    word = value.strip().lower()
    for index, name in enumerate(DAYS):
        if word in (name, name[:3]):
            return index
    raise Invalid(f"'{value}' is not a day of the week{did_you_mean(word, DAYS)}")


@lru_cache(maxsize=4096)
def clock_time(value: str) -> time:
    """A time of day written HH:MM on the 24-hour clock."""
    match = _TIME.match(value.strip())
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise Invalid(
        f"'{value}' is not a time of day; write it as HH:MM on the 24-hour clock, e.g. 09:30 or 14:00"
    )


def calendar_date(value: str) -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31") from None


def boolean(value: str) -> bool:
    """true/false (yes/no also accepted)."""
    word = value.strip().lower()
    if word in ("true", "yes"):
        return True
    if word in ("false", "no"):
        return False
    raise Invalid(f"'{value}' should be true or false")


def whole_number(value: str) -> int:
    """A whole number, zero or more."""
    if value.strip().isdigit():
        return int(value)
    raise Invalid(f"'{value}' should be a whole number, e.g. 12")


@lru_cache(maxsize=4096)
def phone(value: str) -> str:
    """A UK phone number, or a short number such as 999, 111, 116 123 or an SMS short code."""
    digits = _PHONE_JUNK.sub("", value)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].lstrip("0")
    ok = digits.isdigit() and (
        (digits.startswith("0") and len(digits) in (10, 11))
        or (digits.startswith(("0800", "0808")) and len(digits) == 8)
        or digits in _SHORT_NUMBERS
        or (digits.startswith("116") and len(digits) == 6)
        or len(digits) == 5
    )
    if not ok:
        raise Invalid(
            f"'{value}' is not a UK phone number: write 11 digits starting with 0 "
            "(e.g. 020 7946 0000), or a short number such as 999, 111 or 116 123"
        )
    return value.strip()


@lru_cache(maxsize=4096)
def email(value: str) -> str:
    """An email address like name@example.org."""
    if not _EMAIL.match(value.strip()):
        raise Invalid(f"'{value}' is not an email address; it should look like name@example.org")
    return value.strip()


def url(value: str) -> str:
    """A web link starting with https:// or http://."""
    if not _URL.match(value.strip()):
        raise Invalid(
            f"'{value}' is not a web link; it should start with https://, e.g. https://www.example.org/page"
        )
    return value.strip()


def postcode(value: str) -> str:
    """A UK postcode like N7 6LB."""
    code = " ".join(value.upper().split())
    if not _POSTCODE.match(code):
        raise Invalid(f"'{value}' is not a UK postcode; it should look like N7 6LB")
    return code


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Two-letter language codes and their English names, from babel's CLDR data."""
    return {code: name for code, name in Locale("en").languages.items() if len(code) == 2}


@lru_cache(maxsize=4096)
def language_code(value: str) -> str:
    """A two-letter ISO 639-1 language code (en, so, tr, ar, bn …)."""
    code = value.strip().lower()
    names = _language_names()
    if code in names:
        return code
    by_name = {name.lower(): c for c, name in names.items()}
    if code in by_name:
        hint = f"; for {names[by_name[code]]} write '{by_name[code]}'"
    else:
        hint = "; use two-letter codes such as en (English), so (Somali), tr (Turkish)"
    raise Invalid(f"'{value}' is not a known language code{hint}")
