"""The small phrase language of the crisis lists, compiled to regular expressions.

A phrase is written in standard spelling; compiling it in its list's language applies the same
rewrites as `normalisation.keyed` does to a message, and widens Turkish verb endings and Somali
spellings, so that one phrase matches the many ways parents write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import permutations

from bot.safety.normalisation import collapse, keyed, rewrite, suffix_class
from bot.text import fold

GAP_WORDS = 3  # `..`: up to this many other words
ANY_ORDER_GAP_WORDS = 4  # `&`: the parts in any order, up to this many words apart
_BEFORE = "(?<![a-z0-9])"
_AFTER = "(?![a-z0-9])"


class PhraseError(ValueError):
    """A phrase in a list does not follow the phrase syntax."""


@dataclass(frozen=True)
class Compiled:
    """A phrase as a regex body, and the most words a match of it can span."""

    body: str
    span: int


def key(text: str, language: str | None = None) -> str:
    """The matching form of a text (see `normalisation.keyed`)."""
    return keyed(text, language)


def _gap(words: int) -> str:
    return "(?: [a-z0-9]+){0," + str(words) + "}"


def _literal(word: str, language: str) -> str:
    """One written word, already folded and rewritten, as a regex fragment (no `*`)."""
    plain = collapse(word)
    if language == "so":
        return _somali(plain)
    widened = suffix_class(plain, language)
    return widened if widened else re.escape(plain)


def _stem(letters: str, language: str) -> str:
    """The letters before a `*`: Somali spellings vary; a Turkish stem's last consonant softens
    before a vowel (bıçak → bıçağı, kitap → kitabı, git → gidiyor)."""
    if language == "so":
        # A stem's last "c" stays: optional, it would widen `garaac*` to every word in "gara".
        body = _somali(letters[:-1]) + "c" if letters.endswith("c") else _somali(letters)
        return body
    if language == "tr" and len(letters) > 2 and letters[-1] in _SOFTENED:
        return re.escape(letters[:-1]) + _SOFTENED[letters[-1]]
    return re.escape(letters)


_SOFTENED = {"k": "[kg]", "p": "[pb]", "t": "[td]"}


def _word(literal: str, phrase: str, language: str) -> tuple[str, int]:
    """One option (a word, `stem*`, or several words) as a regex fragment, and its word count."""
    if not literal or not all(char.isalnum() or char in " *" for char in literal):
        raise PhraseError(f"bad word {literal!r} in phrase {phrase!r}")
    words = literal.split()
    fragments = []
    for word in words:
        stem = word.endswith("*")
        letters = word[:-1] if stem else word
        if not letters or "*" in letters:
            raise PhraseError(f"bad word {word!r} in phrase {phrase!r}")
        if stem:
            fragments.append(_stem(collapse(letters), language) + "[a-z0-9]*")
        else:
            fragments.append(_literal(letters, language))
    return " ".join(fragments), len(words)


def _tokens(phrase: str) -> list[str]:
    """Split a phrase into tokens, keeping (a|b c) groups whole."""
    tokens: list[str] = []
    depth, current = 0, ""
    for char in phrase.strip():
        if char == "(":
            depth += 1
            if depth > 1:
                raise PhraseError(f"choices cannot be nested in phrase {phrase!r}")
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


def _fragment(token: str, phrase: str, language: str) -> tuple[str, bool, int]:
    """A token as a regex fragment, whether it is optional, and the most words it spans."""
    optional = token.endswith("?")
    token = token[:-1] if optional else token
    if token.startswith("(") and token.endswith(")"):
        options = [" ".join(option.split()) for option in token[1:-1].split("|")]
        compiled = [_word(option, phrase, language) for option in options]
        fragment = "(?:" + "|".join(body for body, _ in compiled) + ")"
        return fragment, optional, max(words for _, words in compiled)
    body, words = _word(token, phrase, language)
    return body, optional, words


def _sequence(tokens: list[str], phrase: str, language: str) -> Compiled:
    """Tokens in order (with `..` gaps and optional words) as a regex body."""
    if not tokens or tokens[0] == ".." or tokens[-1] == ".." or "$" in tokens:
        raise PhraseError(f"phrase {phrase!r} must start and end with a word")
    first, optional, span = _fragment(tokens[0], phrase, language)
    if optional:
        raise PhraseError(f"phrase {phrase!r} must not start with an optional word")
    parts = [first]
    for token in tokens[1:]:
        if token == "..":
            parts.append(_gap(GAP_WORDS))
            span += GAP_WORDS
            continue
        fragment, optional, words = _fragment(token, phrase, language)
        parts.append(f"(?: {fragment})?" if optional else f" {fragment}")
        span += words
    return Compiled("".join(parts), span)


def _prepared(phrase: str, language: str) -> str:
    """The phrase folded and rewritten like a message in its language, its marks kept."""
    return rewrite(fold(phrase).replace("'", "").replace("-", " "), language)


def compile_phrase(phrase: str, language: str = "en") -> Compiled:
    """Turn one phrase (`kill* myself`, `(he|husband) .. hit* me`, `a & b`, `jump $`) into a regex."""
    tokens = _tokens(_prepared(phrase, language))
    at_end = bool(tokens) and tokens[-1] == "$"
    tokens = tokens[:-1] if at_end else tokens
    if "&" in tokens:
        if at_end:
            raise PhraseError(f"phrase {phrase!r} cannot use both & and $")
        compiled = [_sequence(part, phrase, language) for part in _split(tokens, phrase)]
        if len(compiled) > 3:
            raise PhraseError(f"phrase {phrase!r}: & joins two or three parts")
        gap = _gap(ANY_ORDER_GAP_WORDS) + " "
        orders = [gap.join(part.body for part in order) for order in permutations(compiled)]
        body = "(?:" + "|".join(orders) + ")"
        span = sum(part.span for part in compiled) + ANY_ORDER_GAP_WORDS * (len(compiled) - 1)
        return Compiled(body, span)
    if language == "so":
        _check_somali_particles(tokens, phrase)
    found = _sequence(tokens, phrase, language)
    return Compiled(found.body + ("$" if at_end else ""), found.span)


def _split(tokens: list[str], phrase: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token == "&":
            parts.append([])
        else:
            parts[-1].append(token)
    if any(not part for part in parts):
        raise PhraseError(f"phrase {phrase!r}: & needs words on both sides")
    return parts


def _check_somali_particles(tokens: list[str], phrase: str) -> None:
    """Messages have "in aan" joined to "inaan" before matching, so phrases must be joined too."""
    for token, following in zip(tokens, tokens[1:], strict=False):
        if token == "in" and following.startswith("("):
            raise PhraseError(
                f"phrase {phrase!r}: write the particle joined to each choice (inaan, inuu), "
                "because messages are matched with their particles joined"
            )


def _somali(keyed_word: str) -> str:
    """A keyed Somali word as a regex that accepts a dropped c, x as kh or h, dh as d, ey as ay."""
    out: list[str] = []
    i = 0
    while i < len(keyed_word):
        char, pair = keyed_word[i], keyed_word[i : i + 2]
        if pair in ("kh", "dh"):
            out.append("(?:kh|x|h)" if pair == "kh" else "dh?")
            i += 2
        elif char == "x":
            out.append("(?:x|kh|h)")
            i += 1
        elif pair in ("ay", "ey") and i > 0:
            out.append("[ae]y")  # ninkayga / ninkeyga, hooyaday / hooyadey
            i += 2
        elif (
            char == "c"
            and 0 < i < len(keyed_word) - 1
            and keyed_word[i - 1] == keyed_word[i + 1] in "aeiou"
        ):
            # a dropped c between like vowels leaves one vowel once doubles are collapsed
            out.append(f"(?:c{keyed_word[i + 1]})?")
            i += 2
        else:
            out.append("c?" if char == "c" else re.escape(char))
            i += 1
    return "".join(out)


def phrase_regex(phrase: str, language: str) -> str:
    """The regex body for a phrase in a list of the given language."""
    return compile_phrase(phrase, language).body


def delimited(alternatives: list[str]) -> str:
    """Alternatives as whole words of a keyed text with a space put before it, for RE2, which
    has no lookarounds: the space before and after is matched, and group 1 is the match itself.
    (No `^`: searched from a position, RE2 would take that position for the start.)"""
    return " (" + "|".join(alternatives) + ")(?: |$)"


def bounded(alternatives: list[str]) -> str:
    """Alternatives that must start and end at word boundaries, tested only at word starts."""
    return _BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER


__all__ = [
    "Compiled",
    "PhraseError",
    "bounded",
    "compile_phrase",
    "delimited",
    "key",
    "phrase_regex",
]
