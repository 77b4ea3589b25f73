"""Explicit language choices."""

from __future__ import annotations

import pytest

from bot.language import explicit_choice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soomaali", "so"),
        ("af soomaali", "so"),
        ("Af-Soomaali", "so"),
        ("Somali please", "so"),
        ("speak somali", "so"),
        ("soomaali fadlan", "so"),
        ("Türkçe", "tr"),
        ("turkce", "tr"),
        ("TÜRKÇE", "tr"),
        ("Türkçe konuşalım", "tr"),
        ("Turkish", "tr"),
        ("in turkish please", "tr"),
        ("English", "en"),
        ("ingilizce", "en"),
        ("İngilizce lütfen", "en"),
        ("af ingiriisi", "en"),
        ("/language so", "so"),
        ("/language tr", "tr"),
        ("/lang en", "en"),
        ("/language@FamilyHubBot somali", "so"),
        ("🇹🇷", "tr"),
        ("🇸🇴", "so"),
        ("🇬🇧", "en"),
    ],
)
def test_explicit_choices(text: str, expected: str) -> None:
    assert explicit_choice(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "so",
        "so tired",
        "ok",
        "hello",
        "waxaan rabaa mentor af soomaali ku hadla",
        "I speak Somali and English",
        "is there a Turkish group on Monday",
        "/language",
        "/language de",
        "türkçe bilen var mı",
        "I am from Turkey and my husband is English",
    ],
)
def test_not_a_choice(text: str) -> None:
    assert explicit_choice(text) is None
