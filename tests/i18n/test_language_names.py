"""Language names are written in the reader's language everywhere (CLDR gaps fixed)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from bot.core import LANGUAGES
from bot.directory import load_directory
from bot.handoff.alerts import about
from bot.i18n.formats import language_name
from bot.settings import PROJECT_ROOT
from bot.store.models import Handoff


def directory_languages() -> list[str]:
    found = load_directory(PROJECT_ROOT / "services_directory.yaml", ZoneInfo("Europe/London"))
    return sorted({code for service in found for code in service.languages} | set(LANGUAGES))


@pytest.mark.parametrize("reader", ["so", "tr"])
@pytest.mark.parametrize("code", directory_languages())
def test_every_language_of_the_directory_has_a_name_in_each_of_ours(code: str, reader: str) -> None:
    english = str(Locale("en").languages[code])
    name = language_name(code, reader)
    assert name.lower() != english.lower(), (code, reader, name)
    if reader == "so":  # nor the English name with a Somali ending ("Kurdishka")
        assert english.lower() not in name.lower(), (code, reader, name)


def test_the_somali_fixes() -> None:
    assert language_name("tr", "so") == "Turki"
    assert language_name("ku", "so") == "Kurdi"
    assert language_name("bn", "so") == "Bangaali"


def test_a_somali_mentor_reads_a_turkish_parents_language_in_somali() -> None:
    handoff = Handoff(language="tr", topic="find_mentor")
    assert about(handoff, "so")[0] == "Luuqadda: Turki"
    assert about(handoff, "tr")[0] == "Dil: Türkçe"
    assert about(Handoff(language="so", topic=None), "tr")[0] == "Dil: Somalice"
