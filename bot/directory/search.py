"""The search index, built once per load: folded words, filters and weekly session times."""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import LANGUAGES
from bot.directory.model import Service
from bot.directory.schedule import MINUTES_PER_WEEK, local_time, week_minute
from bot.text import fold

_WORD = re.compile(r"\w+")
# Words that carry no meaning for a search, in the three languages.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "can",
        "do",
        "for",
        "i",
        "in",
        "is",
        "me",
        "my",
        "near",
        "of",
        "on",
        "or",
        "please",
        "the",
        "to",
        "want",
        "what",
        "where",
        "with",
        "iyo",
        "ee",
        "ka",
        "ku",
        "la",
        "oo",
        "waa",
        "waxaan",
        "haa",
        "ma",
        "bir",
        "bu",
        "bana",
        "ben",
        "ve",
        "ile",
        "icin",
        "mi",
        "var",
        "yok",
    ]
)
_NO_SESSION = MINUTES_PER_WEEK * 2


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return _WORD.findall(fold(text))


class _Folder:
    """Folds texts word by word, remembering each word: directories repeat the same words a lot."""

    def __init__(self) -> None:
        # fold() maps Turkish ı to i, so a word folds the same whatever its language: one cache serves all.
        self.cache: dict[str, list[str]] = {}

    def words(self, text: str) -> list[str]:
        if text.isascii():
            # For ASCII, fold() only lowercases, so this is the same result, faster.
            return _WORD.findall(text.lower())
        found: list[str] = []
        cache = self.cache
        for raw in _WORD.findall(unicodedata.normalize("NFC", text)):
            if raw.isascii():
                found.append(raw.lower())
                continue
            folded = cache.get(raw)
            if folded is None:
                folded = cache[raw] = _WORD.findall(fold(raw))
            found.extend(folded)
        return found


class SearchIndex:
    """Lookup tables over the active services; all keys are folded at build time."""

    def __init__(self, services: tuple[Service, ...]) -> None:
        self.services = services
        self.active = [i for i, s in enumerate(services) if s.active]
        tokens: dict[str, set[int]] = defaultdict(set)
        self.by_category: dict[str, set[int]] = defaultdict(set)
        self.by_language: dict[str, set[int]] = defaultdict(set)
        self.by_tag: dict[str, set[int]] = defaultdict(set)
        self.by_day: dict[int, set[int]] = defaultdict(set)
        self.by_area: dict[str, set[int]] = defaultdict(set)
        self.placeless: set[int] = set()
        self.sort_names: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        folder = _Folder()
        place_keys: dict[str, tuple[str, ...]] = {}
        for i, service in enumerate(services):
            for lang, names in self.sort_names.items():
                # Only a tie-breaker for ordering, so a plain casefold is enough here.
                names.append(service.name.get(lang).casefold())
            if not service.active:
                continue
            for word in self._words_of(service, folder):
                tokens[word].add(i)
            self.by_category[service.category].add(i)
            for language in service.languages:
                self.by_language[language].add(i)
            for tag in service.tags:
                self.by_tag[tag].add(i)
            for day in service.schedule.days():
                self.by_day[day].add(i)
            if not service.locations:
                self.placeless.add(i)
            for location in service.locations:
                keys = place_keys.get(location.id)
                if keys is None:
                    keys = place_keys[location.id] = (
                        fold(location.area),
                        fold(location.outward_code),
                    )
                for key in keys:
                    self.by_area[key].add(i)
        self.starts = [s.schedule.start_minutes for s in services]
        self.ends = [s.schedule.end_minutes for s in services]
        self.tokens = dict(tokens)
        self.vocabulary = sorted(self.tokens)

    @staticmethod
    def _words_of(service: Service, folder: _Folder) -> set[str]:
        found: set[str] = set()
        texts = [service.name, service.description, service.eligibility_description]
        for text in texts:
            if text is not None:
                for version in text.versions():
                    found.update(folder.words(version))
        for tag in service.tags:
            found.update(tag.split("_"))
            found.add(tag)
        found.update(service.category.split("_"))
        return found

    def matching_text(self, text: str) -> set[int]:
        """Services matching every meaningful word of `text` (words found nowhere are ignored)."""
        result: set[int] | None = None
        for word in words(text):
            if word in STOPWORDS:
                continue
            hits = self._word_hits(word)
            if hits:
                result = hits if result is None else result & hits
        return result if result is not None else set()

    def _word_hits(self, word: str) -> set[int]:
        if len(word) < 3:
            return self.tokens.get(word, set())
        # Every vocabulary word that starts with `word`, so "masaj" finds "masaji".
        vocabulary = self.vocabulary
        position = bisect.bisect_left(vocabulary, word)
        hits: set[int] = set()
        while position < len(vocabulary) and vocabulary[position].startswith(word):
            hits |= self.tokens[vocabulary[position]]
            position += 1
        return hits

    def matching_area(self, area: str) -> set[int]:
        """Services at a place in `area` (an area name or postcode), plus those with no place."""
        key = fold(area)
        found = self.by_area.get(key) or self.by_area.get(key.split(" ")[0], set())
        return found | self.placeless

    def order(
        self,
        candidates: Iterable[int],
        parent_language: str,
        now: datetime,
        zone: ZoneInfo,
        limit: int | None,
    ) -> list[int]:
        """Parent's language first, then soonest session (running or next), then name."""
        minute = week_minute(local_time(now, zone))
        names = self.sort_names.get(parent_language, self.sort_names["en"])
        in_language = self.by_language.get(parent_language, set())
        starts, ends = self.starts, self.ends
        keyed = []
        for i in candidates:
            session_ends = ends[i]
            if not session_ends:
                delta = _NO_SESSION
            else:
                # The first session not yet ended; sessions never cross midnight, so ends are in order.
                j = bisect.bisect_right(session_ends, minute)
                delta = (
                    starts[i][j] - minute
                    if j < len(session_ends)
                    else starts[i][0] + MINUTES_PER_WEEK - minute
                )
            keyed.append((i not in in_language, delta, names[i], i))
        best = heapq.nsmallest(limit, keyed) if limit is not None else sorted(keyed)
        return [k[3] for k in best]


def intersect(sets: list[set[int]], universe: list[int]) -> Iterable[int]:
    """Members of every set (smallest first), or the universe when there are no sets."""
    if not sets:
        return universe
    sets.sort(key=len)
    result = set(sets[0])
    for other in sets[1:]:
        result &= other
    return result
