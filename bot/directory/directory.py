"""The loaded directory: look-ups by id, crisis lines, hubs, and search."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.directory.model import Location, Organization, Service
from bot.directory.schedule import Session
from bot.directory.schema import DAYS
from bot.directory.search import SearchIndex, intersect


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A service found by a search: its next session (start and details), and whether it is in the parent's language."""

    service: Service
    next_session: datetime | None
    in_parent_language: bool
    session: Session | None = None


@dataclass(frozen=True, eq=False)
class Directory:
    """Every service, organization and location in the file, indexed for search."""

    services: tuple[Service, ...]
    # The clock of every schedule in it (TIMEZONE).
    zone: ZoneInfo
    organizations: dict[str, Organization] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    _by_id: dict[str, Service] = field(init=False, repr=False, compare=False)
    _index: SearchIndex | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {s.id: s for s in self.services})

    def index(self) -> SearchIndex:
        """The search index, built on first use: `familyhub directory validate` never needs it.

        The running service builds it as soon as a file is loaded (bot.directory.live), so no
        parent's search waits for it. Two threads racing here build the same index twice.
        """
        if self._index is None:
            object.__setattr__(self, "_index", SearchIndex(self.services))
        assert self._index is not None
        return self._index

    def __len__(self) -> int:
        return len(self.services)

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services)

    def get(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return self._by_id.get(service_id)

    def hubs(self) -> list[Service]:
        """The active Family Hubs, in file order."""
        return [s for s in self.services if s.category == "family_hub" and s.active]

    def crisis_lines(self, kind: str | None = None) -> list[Service]:
        """Active crisis lines for `kind` in file order; the `general` ones when kind is None or unmatched."""
        lines = [s for s in self.services if s.category == "crisis" and s.active]
        if kind:
            matched = [s for s in lines if kind in s.crisis_kind]
            if matched:
                return matched
        return [s for s in lines if "general" in s.crisis_kind]

    def search(
        self,
        text: str | None = None,
        category: str | None = None,
        language: str | None = None,
        day: int | str | None = None,
        area: str | None = None,
        tags: Iterable[str] | None = None,
        parent_language: str = "en",
        now: datetime | None = None,
        limit: int | None = None,
    ) -> list[SearchResult]:
        """Active services matching every filter given, best first (see docs/directory.md)."""
        index = self.index()
        sets: list[set[int]] = []
        if text and text.strip():
            sets.append(index.matching_text(text))
        if category:
            sets.append(index.by_category.get(category, set()))
        if language:
            sets.append(index.by_language.get(language, set()))
        if day is not None:
            sets.append(index.by_day.get(_day_number(day), set()))
        if area and area.strip():
            sets.append(index.matching_area(area))
        for tag in tags or ():
            sets.append(index.by_tag.get(tag, set()))
        now = now or datetime.now(UTC)
        ordered = index.order(intersect(sets, index.active), parent_language, now, self.zone, limit)
        results = []
        for i in ordered:
            service = self.services[i]
            found = service.schedule.next(now)
            results.append(
                SearchResult(
                    service,
                    found[0] if found else None,
                    parent_language in service.languages,
                    found[1] if found else None,
                )
            )
        return results


def _day_number(day: int | str) -> int:
    """A weekday number from 0 (Monday) to 6, or a day name."""
    if isinstance(day, int):
        return day % 7
    name = day.strip().lower()
    for number, full in enumerate(DAYS):
        if name in (full, full[:3]):
            return number
    return -1
