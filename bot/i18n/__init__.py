"""Every user-facing string, in English, Somali or Turkish, from the babel gettext catalogs."""

from __future__ import annotations

from bot.core import DEFAULT_LANGUAGE, LANGUAGES
from bot.i18n import catalogs
from bot.i18n.placeholders import fill

__all__ = ["N_", "language_code", "translate"]


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention babel extracts)
    """Mark a module-level constant for extraction; translate it later with `translate`."""
    return msgid


def language_code(language: str | None) -> str:
    """One of en, so, tr from a code such as "so", "tr-TR" or None; English otherwise."""
    if not language:
        return DEFAULT_LANGUAGE
    code = language.replace("_", "-").split("-", 1)[0].strip().lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def gettext(language: str | None, msgid: str) -> str:
    """The translation of `msgid` in `language`, the English msgid when untranslated."""
    code = language_code(language)
    if code == DEFAULT_LANGUAGE or not msgid:
        return msgid
    return catalogs.get(code).gettext(msgid)


def translate(language: str | None, msgid: str, **kwargs: object) -> str:
    """gettext in `language` (English fallback), then `str.format(**kwargs)`."""
    return fill(gettext(language, msgid), kwargs, msgid=msgid)
