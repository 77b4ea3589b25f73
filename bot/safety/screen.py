"""The phrase screen run on every parent message, before anything else.

Each language's list is matched against the message as that language normalises it. Matching
uses RE2 (google-re2), whose time is linear in the text whatever the phrases: Python's own
engine backtracks, and hostile text ("want want want …") cost it seconds a message. A long
message is matched in overlapping windows of words, so that each guard is weighed against a
match near it and no window costs more than a short text: the overlap is at least the longest
stretch a phrase (with a guard on either side) can cover, so no match is lost at an edge.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import re2

from bot.safety.lists import CRISIS_KINDS, PhraseList, load_lists
from bot.safety.normalisation import keyed
from bot.safety.patterns import compile_phrase, delimited

MIN_WINDOW_WORDS = 64
_RE2 = re2.Options()
_RE2.max_mem = 64 << 20  # the lists compile to large automata; the default 8 MB is too small


def _automaton(bodies: list[str]) -> re2._Regexp:
    return re2.compile(delimited(bodies), _RE2)


@dataclass(frozen=True)
class CrisisMatch:
    """What the screen found: the kind of crisis, the listed phrase, and its list's language."""

    kind: str
    phrase: str
    language: str


@dataclass(frozen=True)
class _Compiled:
    """One language's phrases: a regex per kind (and each phrase's own), and its guards."""

    language: str
    kinds: dict[str, re2._Regexp]
    phrases: dict[str, list[tuple[str, str]]]  # (phrase, regex body), compiled when asked
    guard: re2._Regexp | None


class Screen:
    """All phrase lists compiled once."""

    def __init__(self, lists: list[PhraseList]) -> None:
        self._lists: list[_Compiled] = []
        longest_phrase = longest_guard = 1
        for phrase_list in lists:
            language = phrase_list.language
            phrases: dict[str, list[tuple[str, str]]] = {}
            for kind, listed in phrase_list.phrases.items():
                for phrase in listed:
                    compiled = compile_phrase(phrase, language)
                    longest_phrase = max(longest_phrase, compiled.span)
                    phrases.setdefault(kind, []).append((phrase, compiled.body))
            guards = [compile_phrase(guard, language) for guard in phrase_list.guards]
            longest_guard = max([longest_guard, *(guard.span for guard in guards)])
            kinds = {
                kind: _automaton([body for _, body in entries])
                for kind, entries in phrases.items()
                if entries
            }
            guard = _automaton([g.body for g in guards]) if guards else None
            self._lists.append(_Compiled(language, kinds, phrases, guard))
        # A window's matches are read only where it owns them (see `windows`): far enough from its
        # edges that the guards on either side of a match are inside the window too.
        self.margin_words = longest_guard
        self.overlap_words = longest_phrase + 2 * longest_guard
        self.window_words = max(MIN_WINDOW_WORDS, 2 * self.overlap_words)

    @property
    def languages(self) -> list[str]:
        return [compiled.language for compiled in self._lists]

    def windows(self, text: str) -> Iterator[tuple[str, int, int]]:
        """The keyed text in overlapping windows of words: (window, start, end), where a match is
        read only if it starts at a character in [start, end). Each start position of the text
        belongs to exactly one window, which holds the match and the guards around it whole."""
        words = text.split(" ")
        if len(words) <= self.window_words:
            yield text, 0, len(text)
            return
        step = self.window_words - self.overlap_words
        for first in range(0, len(words), step):
            chunk = words[first : first + self.window_words]
            window = " ".join(chunk)
            last = first + self.window_words >= len(words)
            owned_from = 0 if first == 0 else self.margin_words
            owned_to = len(chunk) if last else self.margin_words + step
            yield window, _offset(chunk, owned_from), _offset(chunk, owned_to)
            if last:
                return

    def __call__(self, text: str) -> CrisisMatch | None:
        """The first crisis found, by kind in CRISIS_KINDS order, outside any guard phrase."""
        keys = {compiled.language: keyed(text, compiled.language) for compiled in self._lists}
        if not any(keys.values()):
            return None
        for kind in CRISIS_KINDS:
            for compiled in self._lists:
                regex = compiled.kinds.get(kind)
                if regex is None:
                    continue
                for window, start, end in self.windows(keys[compiled.language]):
                    found = _unguarded(regex, compiled.guard, window, start, end)
                    if found is not None:
                        phrase = _phrase(compiled.phrases[kind], window, *found)
                        return CrisisMatch(kind, phrase, compiled.language)
        return None


def _offset(words: list[str], index: int) -> int:
    """The character offset of word `index` in the words joined by spaces."""
    return sum(len(word) + 1 for word in words[:index])


def _unguarded(
    regex: re2._Regexp, guard: re2._Regexp | None, window: str, start: int, end: int
) -> tuple[int, int] | None:
    """The span of the first match starting in [start, end) that no guard hides."""
    padded = " " + window  # every word, the first too, has a space before it
    guarded = _spans(guard, padded) if guard else []
    position = start  # in `padded`, the space before the word at `start`
    while (match := regex.search(padded, position)) is not None:
        begin, finish = match.span(1)
        if begin - 1 >= end:
            return None
        if not any(_hides(g, (begin, finish)) for g in guarded):
            return begin - 1, finish - 1
        # a guarded match may hide a real one that starts at a later word inside it
        position = begin
    return None


def _spans(regex: re2._Regexp, padded: str) -> list[tuple[int, int]]:
    """Every match, one after another (as re.finditer)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while (match := regex.search(padded, position)) is not None:
        spans.append(match.span(1))
        position = match.end(1)
    return spans


def _phrase(entries: list[tuple[str, str]], window: str, start: int, end: int) -> str:
    """Which listed phrase produced a match: looked up only after a match, so each phrase's own
    regex is compiled only then (compiling them all at start would take seconds)."""
    for phrase, body in entries:
        if _compiled(body).fullmatch(window, start, end):
            return phrase
    return entries[0][0]


@functools.lru_cache(maxsize=4096)
def _compiled(body: str) -> re.Pattern[str]:
    return re.compile(body)


def _hides(guard: tuple[int, int], match: tuple[int, int]) -> bool:
    """A guard hides a crisis match it overlaps, unless the match wraps it with words before it."""
    (g_start, g_end), (start, end) = guard, match
    overlaps = start < g_end and g_start < end
    wraps = start < g_start and end >= g_end
    return overlaps and not wraps


_SCREEN = Screen(load_lists())


def phrase_screen() -> Screen:
    """The screen of the phrase lists in bot/safety/phrases, compiled once at import."""
    return _SCREEN


def screen(text: str, language: str | None = None) -> CrisisMatch | None:
    """The phrase screen against every language's lists; `language` is accepted but not needed."""
    del language  # a parent may mix languages, so every list is always checked
    return _SCREEN(text)
