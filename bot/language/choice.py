"""Explicit language choices: "Soomaali", "Türkçe", "English", "/language so" and the like."""

from __future__ import annotations

import re

from bot.text import fold

_NAMES: dict[str, str] = {
    **dict.fromkeys(
        [
            "so",
            "somali",
            "soomaali",
            "soomaaliga",
            "somaali",
            "somalice",
            "somalca",
            "somalia",
            "afsoomaali",
        ],
        "so",
    ),
    **dict.fromkeys(
        ["tr", "turkish", "turkce", "turk", "turki", "turkiga", "turkiye", "turkey"], "tr"
    ),
    **dict.fromkeys(
        [
            "en",
            "english",
            "ingilizce",
            "ingiliz",
            "ingiriis",
            "ingiriisi",
            "ingiriisiga",
            "inglish",
        ],
        "en",
    ),
}
_FLAGS = {"\U0001f1f8\U0001f1f4": "so", "\U0001f1f9\U0001f1f7": "tr", "\U0001f1ec\U0001f1e7": "en"}
# Words that may surround a language name in a choice ("in Somali please", "Türkçe lütfen").
_FILLER = frozenset(
    [
        "please",
        "pls",
        "plz",
        "in",
        "to",
        "switch",
        "change",
        "language",
        "lang",
        "speak",
        "use",
        "can",
        "we",
        "i",
        "want",
        "prefer",
        "fadlan",
        "af",
        "ku",
        "hadal",
        "ku",
        "hadla",
        "luqadda",
        "luuqada",
        "luqad",
        "afka",
        "u",
        "beddel",
        "beddel",
        "rabaa",
        "lutfen",
        "dil",
        "dili",
        "dilinde",
        "konus",
        "konusalim",
        "konusun",
        "konusabilir",
        "miyiz",
        "olsun",
        "istiyorum",
        "degistir",
        "mi",
        "misin",
    ]
)
_COMMAND = re.compile(r"^/(?:language|lang|luqad|dil)(?:@\w+)?(?:\s+(\S+))?\s*$", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_LONGEST_CHOICE = 60


def explicit_choice(text: str) -> str | None:
    """The language a message explicitly chooses, or None when it is not a language choice."""
    stripped = text.strip()
    if len(stripped) > _LONGEST_CHOICE:
        return None
    if stripped in _FLAGS:
        return _FLAGS[stripped]
    command = _COMMAND.match(stripped)
    if command:
        return _NAMES.get(fold(command.group(1) or ""))
    words = _WORD.findall(fold(stripped))
    if not words or len(words) > 6:
        return None
    chosen = {_NAMES[word] for word in words if word in _NAMES and len(word) > 2}
    rest = [word for word in words if word not in _NAMES and word not in _FILLER]
    if len(chosen) == 1 and not rest:
        return chosen.pop()
    return None
