"""The deterministic crisis screen run on every parent message, before anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.safety.lists import CRISIS_KINDS, PhraseList, load_lists
from bot.safety.patterns import bounded, key, phrase_regex


@dataclass(frozen=True)
class CrisisMatch:
    """What the screen found: the kind of crisis, the listed phrase, and its list's language."""

    kind: str
    phrase: str
    language: str


class Screen:
    """All phrase lists compiled once: one regex per kind, and one for the guards."""

    def __init__(self, lists: list[PhraseList]) -> None:
        self._phrases: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}
        guards: list[str] = []
        for phrase_list in lists:
            for kind, phrases in phrase_list.phrases.items():
                for phrase in phrases:
                    body = phrase_regex(phrase, phrase_list.language)
                    entry = (phrase, phrase_list.language, re.compile(body))
                    self._phrases.setdefault(kind, []).append(entry)
            guards += [phrase_regex(g, phrase_list.language) for g in phrase_list.guards]
        # No named groups: sre then skips, by their first letter, branches that cannot match.
        for kind in CRISIS_KINDS:
            entries = self._phrases.get(kind, [])
            if entries:
                self._regexes[kind] = re.compile(bounded([e[2].pattern for e in entries]))
        self._guard = re.compile(bounded(guards)) if guards else None

    def _phrase(self, kind: str, keyed: str, start: int, end: int) -> tuple[str, str]:
        """Which listed phrase produced a match (only looked up after a match)."""
        for phrase, language, regex in self._phrases[kind]:
            if regex.fullmatch(keyed, start, end):
                return phrase, language
        return self._phrases[kind][0][:2]

    def __call__(self, text: str) -> CrisisMatch | None:
        """The first crisis found, by kind in CRISIS_KINDS order, outside any guard phrase."""
        keyed = key(text)
        if not keyed:
            return None
        guarded = [m.span() for m in self._guard.finditer(keyed)] if self._guard else []
        for kind, regex in self._regexes.items():
            match = regex.search(keyed)
            while match:
                start, end = match.span()
                if not any(_hides(guard, (start, end)) for guard in guarded):
                    phrase, language = self._phrase(kind, keyed, start, end)
                    return CrisisMatch(kind, phrase, language)
                # a guarded match may hide a real one that starts inside it
                match = regex.search(keyed, start + 1)
        return None


def _hides(guard: tuple[int, int], match: tuple[int, int]) -> bool:
    """A guard hides a crisis match it overlaps, unless the match wraps it with words before it."""
    (g_start, g_end), (start, end) = guard, match
    overlaps = start < g_end and g_start < end
    wraps = start < g_start and end >= g_end
    return overlaps and not wraps


_SCREEN = Screen(load_lists())


def screen(text: str, language: str | None = None) -> CrisisMatch | None:
    """Screen a message against every language's lists; `language` is accepted but not needed."""
    del language  # a parent may mix languages, so every list is always checked
    return _SCREEN(text)
