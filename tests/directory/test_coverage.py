"""Translation coverage counts parent-facing texts per language."""

from __future__ import annotations

from bot.directory.coverage import coverage
from tests.directory.conftest import HEADER, load_text, service


def test_coverage_counts_and_lists_missing_texts() -> None:
    text = HEADER + service("a", extra_names=", so: Koox, tr: Grup").replace(
        'description: {en: "Play and songs"}', 'description: {en: "Play", tr: "Oyun"}'
    )
    so, tr = coverage(load_text(text))
    assert (so.language, so.translated, so.total) == ("so", 2, 4)
    assert so.missing == {"service a": ["description"], "location hub-south": ["name"]}
    assert (tr.translated, tr.total, round(tr.percent)) == (3, 4, 75)
    assert tr.missing == {"location hub-south": ["name"]}


def test_inactive_services_are_not_counted() -> None:
    text = HEADER + service("a").replace("    access:", "    status: inactive\n    access:")
    so, _ = coverage(load_text(text))
    assert so.total == 2  # only the two location names
