"""Which parent-facing texts still lack a Somali or Turkish version."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core import DEFAULT_LANGUAGE, LANGUAGES
from bot.directory.directory import Directory
from bot.directory.localised import Text
from bot.directory.schema import DAYS, LOCATION_TEXT_FIELDS, SERVICE_TEXT_FIELDS


@dataclass
class LanguageCoverage:
    """For one language: how many texts exist, how many are translated, and what is missing."""

    language: str
    total: int = 0
    translated: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        """Share of texts translated, 100 when there are none."""
        return 100.0 * self.translated / self.total if self.total else 100.0


# The languages a text is translated into from English.
TRANSLATED = tuple(language for language in LANGUAGES if language != DEFAULT_LANGUAGE)


def coverage(
    directory: Directory, languages: tuple[str, ...] = TRANSLATED
) -> list[LanguageCoverage]:
    """Translation coverage of every active service and every location, per language."""
    report = [LanguageCoverage(language) for language in languages]
    entries: list[tuple[str, list[tuple[str, Text | None]]]] = []
    for service in directory.services:
        if service.active:
            texts = [(name, getattr(service, name)) for name in SERVICE_TEXT_FIELDS]
            texts += [
                (f"note of the {DAYS[s.day].title()} {s.start:%H:%M} session", s.note)
                for s in service.schedule.sessions
            ]
            entries.append((f"service {service.id}", texts))
    for location in directory.locations.values():
        entries.append(
            (f"location {location.id}", [(n, getattr(location, n)) for n in LOCATION_TEXT_FIELDS])
        )
    for label, texts in entries:
        for name, text in texts:
            if text is None:
                continue
            for item in report:
                item.total += 1
                if text.has(item.language):
                    item.translated += 1
                else:
                    item.missing.setdefault(label, []).append(name)
    return report
