"""The glossary (locales/glossary.yml), and every Somali and Turkish text keeping to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.translation.glossary import REVIEW, GlossaryError, load_glossary
from tests.translation.conftest import real_entries

# The terms issue 13 asks for.
KEY_TERMS = [
    "Family Hub", "health visitor", "midwife", "maternity mentor", "perinatal", "mental health",
    "feeling low", "anxiety", "Samaritans", "NHS 111", "999", "GP", "half term", "stay and play",
    "crisis", "mentor", "parent",
]  # fmt: skip


def test_the_glossary_has_every_key_term_with_a_note_and_a_review_status_per_language() -> None:
    glossary = load_glossary()
    assert [t.term for t in glossary.terms] == KEY_TERMS
    for term in glossary.terms:
        assert len(term.note) > 20, term.term
        for language in ("so", "tr"):
            forms = term.translations[language]
            assert REVIEW.match(forms.review), (term.term, language)
            assert forms.found_in(forms.form), f"{term.term} ({language}): its form must match"


@pytest.mark.parametrize("language", ["so", "tr"])
def test_every_text_that_uses_a_term_uses_the_glossarys_form(language: str) -> None:
    glossary = load_glossary()
    broken = []
    checked = 0
    for entry in real_entries(language):
        if not entry.text:
            continue
        if glossary.used_in(entry.english):
            checked += 1
        for problem in glossary.problems(entry.english, entry.text, language):
            broken.append(
                f"{entry.where}: {problem}\n  en: {entry.english}\n  {language}: {entry.text}"
            )
    print(f"{language}: {checked} texts use a glossary term; {len(broken)} break the glossary")
    assert checked > 50
    assert broken == [], "\n".join(broken)


@pytest.mark.parametrize(
    ("term", "language", "text", "found"),
    [
        # A stem with one of its endings, as whole words, whatever the case and accents.
        ("midwife", "tr", "Ebenizden isteyin.", True),
        ("midwife", "tr", "Ebeveynler için", False),  # "ebe" + "veynler" is not an allowed ending
        ("midwife", "so", "weydii umulisadaada", True),
        ("health visitor", "tr", "SAGLIK ZIYARETCINIZE sorun", True),
        ("Family Hub", "so", "Hel Xarun Qoysaska", False),  # the indefinite form is not allowed
        ("Family Hub", "so", "Hel Xarunta Qoysaska", True),
        ("999", "tr", "999'u arayın", True),
        ("999", "tr", "9999'u arayın", False),
        ("Samaritans", "tr", "Samaritans'ı arayın", True),
    ],
)
def test_stems_match_with_their_allowed_endings_only(
    term: str, language: str, text: str, found: bool
) -> None:
    [matched] = [t for t in load_glossary().terms if t.term == term]
    assert matched.translations[language].found_in(text) is found


def test_a_translation_that_breaks_the_glossary_is_caught() -> None:
    glossary = load_glossary()
    english = "Ask your health visitor or midwife."
    assert (
        glossary.problems(
            english, "Sağlık ziyaretçinize (health visitor) ya da ebenize sorun.", "tr"
        )
        == []
    )
    problems = glossary.problems(english, "Doktorunuza ya da ebenize sorun.", "tr")
    assert problems == [
        "uses 'health visitor' but not the glossary's 'sağlık ziyaretçisi (health visitor)'"
    ]
    # The English in brackets is required after "health visitor", not optional.
    unglossed = glossary.problems(english, "Sağlık ziyaretçinize ya da ebenize sorun.", "tr")
    assert unglossed and "brackets" in unglossed[0]


def test_a_name_that_keeps_the_term_in_english_is_excepted() -> None:
    [hub] = [t for t in load_glossary().terms if t.term == "Family Hub"]
    assert not hub.in_english("Family Hub helper")
    assert hub.in_english("Find a Family Hub")
    assert hub.in_english("Family Hubs are free places")


def test_parenting_is_not_parent_and_english_endings_are_matched() -> None:
    [parent] = [t for t in load_glossary().terms if t.term == "parent"]
    assert parent.in_english("Parents' Session") and parent.in_english("a parent")
    assert not parent.in_english("Parenting groups")


def test_a_malformed_glossary_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text(
        "terms:\n  - term: midwife\n    note: The NHS midwife who sees a woman in pregnancy.\n"
        "    en: {stems: [midwife]}\n    so: {stems: [umulis], review: done}\n"
        "    tr: {stems: [ebe]}\n",
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match=r"'midwife' \(so\): review must be"):
        load_glossary(path)
