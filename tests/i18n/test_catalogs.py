"""The Somali and Turkish catalogs: complete, not fuzzy, same placeholders, review status, up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.i18n.placeholders import names

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
LANGUAGES = ("so", "tr")
# The scheme in docs/translation.md.
REVIEW = re.compile(r"^review: (machine-draft|checked-by \S.*|needs-work \S.*)$")


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def template_ids() -> set[str]:
    return {str(m.id) for m in entries(read(LOCALES / "messages.pot"))}


def source_ids() -> set[str]:
    """The msgids `make i18n-extract` would write, extracted in-process with the same settings."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(["translate:2", "N_"])}
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module", params=LANGUAGES)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return read(LOCALES / request.param / "LC_MESSAGES" / "messages.po", request.param)


def test_template_is_up_to_date_with_the_sources() -> None:
    extracted, template = source_ids(), template_ids()
    assert extracted - template == set(), "new strings: run `make i18n-update` and translate them"
    assert template - extracted == set(), "strings gone from the sources: run `make i18n-update`"


def test_every_msgid_is_translated(catalog: Catalog) -> None:
    missing = sorted(template_ids() - {str(m.id) for m in entries(catalog) if m.string})
    assert missing == [], f"{catalog.locale}: untranslated: {missing}"


def test_no_entry_is_fuzzy(catalog: Catalog) -> None:
    assert not catalog.fuzzy, f"{catalog.locale}: the header is marked fuzzy"
    fuzzy = [m.id for m in entries(catalog) if m.fuzzy]
    assert fuzzy == [], f"{catalog.locale}: fuzzy entries: {fuzzy}"


def test_placeholders_match(catalog: Catalog) -> None:
    wrong = [
        (m.id, sorted(names(str(m.id))), sorted(names(str(m.string))))
        for m in entries(catalog)
        if m.string and names(str(m.id)) != names(str(m.string))
    ]
    assert wrong == [], f"{catalog.locale}: placeholders differ: {wrong}"


def test_translations_are_valid_format_strings(catalog: Catalog) -> None:
    broken = []
    for m in entries(catalog):
        values = dict.fromkeys(names(str(m.id)), "x")
        try:
            str(m.string).format(**values)
        except (ValueError, KeyError, IndexError):
            broken.append(m.id)
    assert broken == [], f"{catalog.locale}: broken braces: {broken}"


def test_every_entry_has_a_review_status(catalog: Catalog) -> None:
    unmarked = [
        m.id for m in entries(catalog) if sum(bool(REVIEW.match(c)) for c in m.user_comments) != 1
    ]
    assert unmarked == [], (
        f"{catalog.locale}: entries without exactly one review comment: {unmarked}"
    )


def test_the_placeholder_check_can_fail() -> None:
    assert names("Call {number} now") != names("Wac {lambar} hadda")
    assert names("{a} and {b}") == names("{b} iyo {a}")
