"""translate(): gettext from the catalogs, English fallback, placeholders, in-memory compilation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.i18n import catalogs, language_code, translate
from tests.i18n.conftest import DATA


def test_translates_into_each_language(test_catalogs: None) -> None:
    assert translate("so", "Hello {name}, welcome!", name="Amina") == "Salaan Amina, soo dhawoow!"
    assert translate("tr", "Hello {name}, welcome!", name="Ayşe") == "Merhaba Ayşe, hoş geldiniz!"
    assert translate("en", "Hello {name}, welcome!", name="Sam") == "Hello Sam, welcome!"


def test_untranslated_and_unknown_languages_fall_back_to_english(test_catalogs: None) -> None:
    assert translate("so", "Not in any catalog") == "Not in any catalog"
    assert translate("fr", "Hello {name}, welcome!", name="Sam") == "Hello Sam, welcome!"
    assert translate(None, "Groups near me") == "Groups near me"


def test_fuzzy_entries_are_not_used(test_catalogs: None) -> None:
    assert translate("tr", "Talk to {who}", who="Ali") == "Talk to Ali"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("so", "so"),
        ("TR", "tr"),
        ("tr-TR", "tr"),
        ("so_SO", "so"),
        ("en-GB", "en"),
        ("de", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_language_code(given: str | None, expected: str) -> None:
    assert language_code(given) == expected


def test_missing_placeholder_does_not_crash(
    test_catalogs: None, caplog: pytest.LogCaptureFixture
) -> None:
    assert translate("so", "Hello {name}, welcome!") == "Salaan, soo dhawoow!"
    assert "missing placeholders" in caplog.text


def test_broken_translation_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "so" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: so\\n"\n\nmsgid "Hi {name}"\nmsgstr "Salaan {name"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogs, "LOCALES_DIR", tmp_path)
    assert translate("so", "Hi {name}", name="Amina") == "Hi Amina"


def test_compiled_mo_is_used_when_newer_than_po(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    shutil.copytree(DATA / "locales", tmp_path, dirs_exist_ok=True)
    po_path, mo_path = catalogs.catalog_paths("so", tmp_path)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="so")
    catalog.get("Groups near me").string = "From the mo file"
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(catalogs, "LOCALES_DIR", tmp_path)
    assert translate("so", "Groups near me") == "From the mo file"


def test_real_catalogs_load_without_compiled_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(
        catalogs.LOCALES_DIR, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mo")
    )
    monkeypatch.setattr(catalogs, "LOCALES_DIR", tmp_path)
    assert translate("tr", "Opening hours:") != "Opening hours:"
    assert translate("so", "Opening hours:") != "Opening hours:"
