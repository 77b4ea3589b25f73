"""Days, times, language names and lists formatted with babel in the parent's locale."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_time
from babel.lists import format_list

from bot.i18n import language_code

# CLDR's Somali data lacks or mistakes a few names ("Turkish", "Kurdishka", "Bangladesh" for
# Bengali); native reviewers check these (docs/translation.md). tests/i18n/test_language_names.py
# checks that every language of the directory has a name of its own in each of ours.
_NAME_FIXES: dict[str, dict[str, str]] = {
    "so": {"tr": "Turki", "bn": "Bangaali", "ku": "Kurdi"},
}


@cache
def locale(language: str | None) -> Locale:
    """The babel locale of en, so or tr (English for anything else)."""
    return Locale.parse(language_code(language))


def language_name(code: str, language: str | None) -> str:
    """The name of language `code` written in `language` ("so" in Turkish is "Somalice")."""
    lang = language_code(language)
    fixed = _NAME_FIXES.get(lang, {}).get(code)
    if fixed:
        return fixed
    name = locale(lang).languages.get(code) or Locale("en").languages.get(code) or code
    return str(name)


def language_list(codes: Iterable[str], language: str | None) -> str:
    """Language names joined the way the locale joins a list ("Soomaali iyo Ingiriisi")."""
    names = [language_name(c, language) for c in codes]
    return format_list(names, locale=locale(language)) if names else ""


def day_name(day: int, language: str | None) -> str:
    """The weekday name (0 = Monday) in the locale."""
    return str(locale(language).days["format"]["wide"][day])


def clock(value: time | datetime, language: str | None) -> str:
    """A 24-hour time such as 10:30, as used in the UK."""
    return str(format_time(value, "HH:mm", locale=locale(language)))


def day_and_time(when: datetime, language: str | None, zone: ZoneInfo) -> str:
    """The weekday and time of a moment on `zone`'s clock, TIMEZONE ("Talaado 10:30", "Salı 10:30")."""
    return str(format_datetime(when, "EEEE HH:mm", tzinfo=zone, locale=locale(language)))


def time_range(start: time, end: time, language: str | None) -> str:
    """Opening hours such as 09:00–17:00."""
    return f"{clock(start, language)}–{clock(end, language)}"
