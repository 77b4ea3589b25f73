"""The small phrase language of the crisis lists, compiled to regular expressions."""

from __future__ import annotations

import re

from bot.text import fold

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")
_GAP = "(?: [a-z0-9]+){0,3}"
_BEFORE = "(?<![a-z0-9])"
_AFTER = "(?![a-z0-9])"


class PhraseError(ValueError):
    """A phrase in a list does not follow the phrase syntax."""


def key(text: str) -> str:
    """The matching form of a text: folded, apostrophes dropped, doubled letters collapsed."""
    folded = fold(text).replace("'", "")
    spaced = _NON_WORD.sub(" ", folded).strip()
    return _DOUBLE.sub(r"\1", spaced)


def _word(literal: str, phrase: str, somali: bool) -> str:
    """One literal word (optionally ending in *) as a regex fragment."""
    stem = literal.endswith("*")
    letters = literal[:-1] if stem else literal
    keyed = key(letters)
    if not keyed or not all(char.isalnum() or char in "' -" for char in letters):
        raise PhraseError(f"bad word {literal!r} in phrase {phrase!r}")
    body = _somali(keyed) if somali else re.escape(keyed).replace("\\ ", " ")
    return body + ("[a-z0-9]*" if stem else "")


def _tokens(phrase: str) -> list[str]:
    """Split a phrase into tokens, keeping (a|b c) groups whole."""
    tokens: list[str] = []
    depth, current = 0, ""
    for char in phrase.strip():
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise PhraseError(f"unbalanced ) in phrase {phrase!r}")
        if char.isspace() and depth == 0:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += char
    if depth:
        raise PhraseError(f"unbalanced ( in phrase {phrase!r}")
    if current:
        tokens.append(current)
    return tokens


def _fragment(token: str, phrase: str, somali: bool) -> tuple[str, bool]:
    """A token as a regex fragment, and whether it is optional."""
    optional = token.endswith("?")
    token = token[:-1] if optional else token
    if token.startswith("(") and token.endswith(")"):
        options = [" ".join(option.split()) for option in token[1:-1].split("|")]
        fragment = "(?:" + "|".join(_word(option, phrase, somali) for option in options) + ")"
    else:
        fragment = _word(token, phrase, somali)
    return fragment, optional


def compile_phrase(phrase: str, *, somali: bool = False) -> str:
    """Turn one phrase (`kill* myself`, `(he|husband) .. hit* me`, `very?`, `jump $`) into a regex body."""
    tokens = _tokens(phrase)
    at_end = bool(tokens) and tokens[-1] == "$"
    tokens = tokens[:-1] if at_end else tokens
    if not tokens or tokens[0] == ".." or tokens[-1] == ".." or "$" in tokens:
        raise PhraseError(f"phrase {phrase!r} must start and end with a word")
    first, optional = _fragment(tokens[0], phrase, somali)
    if optional:
        raise PhraseError(f"phrase {phrase!r} must not start with an optional word")
    parts = [first]
    for token in tokens[1:]:
        if token == "..":
            parts.append(_GAP)
            continue
        fragment, optional = _fragment(token, phrase, somali)
        parts.append(f"(?: {fragment})?" if optional else f" {fragment}")
    return "".join(parts) + ("$" if at_end else "")


def _somali(keyed: str) -> str:
    """A keyed Somali word as a regex that accepts a dropped c, x as kh or h, and dh as d."""
    out: list[str] = []
    i = 0
    while i < len(keyed):
        char, pair = keyed[i], keyed[i : i + 2]
        if pair in ("kh", "dh"):
            out.append("(?:kh|x|h)" if pair == "kh" else "dh?")
            i += 2
        elif char == "x":
            out.append("(?:x|kh|h)")
            i += 1
        elif char == "c" and 0 < i < len(keyed) - 1 and keyed[i - 1] == keyed[i + 1] in "aeiou":
            # a dropped c between like vowels leaves one vowel once doubles are collapsed
            out.append(f"(?:c{keyed[i + 1]})?")
            i += 2
        else:
            out.append("c?" if char == "c" else re.escape(char).replace("\\ ", " "))
            i += 1
    return "".join(out)


def phrase_regex(phrase: str, language: str) -> str:
    """The regex body for a phrase in a list of the given language (Somali spellings vary)."""
    return compile_phrase(phrase, somali=language == "so")


def bounded(alternatives: list[str]) -> str:
    """Alternatives that must start and end at word boundaries, tested only at word starts."""
    return _BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER


__all__ = ["PhraseError", "bounded", "compile_phrase", "phrase_regex", "key"]
