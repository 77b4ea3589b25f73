"""Plain language, measured per language: words per sentence, and loanwords to avoid.

Covers every catalog text (the English msgids too) and every directory text, for parents and
mentors alike: mentors read in a second language too.
"""

from __future__ import annotations

from pathlib import Path
from statistics import mean

import pytest

from bot.translation.glossary import load_glossary
from bot.translation.plainness import (
    WORDS_PER_SENTENCE,
    Loanwords,
    longest_sentence,
    sentences,
    words,
)
from tests.translation.conftest import real_entries


def texts(language: str) -> list[tuple[str, str]]:
    """(where, text) of every text in `language`: English from the catalogs' msgids too."""
    if language == "en":
        return [(e.where, e.english) for e in real_entries("so")]
    return [(e.where, e.text) for e in real_entries(language) if e.text]


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_no_sentence_is_over_the_cap(language: str) -> None:
    found = texts(language)
    lengths = [len(words(s)) for _, text in found for s in sentences(text)]
    over = [
        f"{longest_sentence(text)} words: {where}: {text}"
        for where, text in found
        if longest_sentence(text) > WORDS_PER_SENTENCE
    ]
    print(
        f"\n{language}: {len(found)} texts, {len(lengths)} sentences, "
        f"{mean(lengths):.1f} words per sentence on average, longest {max(lengths)}; "
        f"over {WORDS_PER_SENTENCE}: {len(over)}"
    )
    for line in over:
        print("  " + line)
    assert over == []


@pytest.mark.parametrize("language", ["so", "tr"])
def test_no_loanword_the_glossary_does_not_allow(language: str) -> None:
    glossary, loanwords = load_glossary(), Loanwords()
    assert loanwords.by_language[language], "the committed list is empty"
    found = [
        f"{where}: {', '.join(hits)}: {text}"
        for where, text in texts(language)
        if (hits := loanwords.found(text, language, glossary))
    ]
    print(f"\n{language}: loanwords to avoid found in {len(found)} texts")
    for line in found:
        print("  " + line)
    assert found == []


def test_sentences_and_words_are_counted_as_a_reader_sees_them() -> None:
    text = "Call {number} now. It is free – any time!\nOpen 24 hours… Really?"
    assert sentences(text) == [
        "Call {number} now.",
        "It is free – any time!",
        "Open 24 hours…",
        "Really?",
    ]
    assert words("It is free – any time!") == ["It", "is", "free", "any", "time!"]
    assert longest_sentence(text) == 5
    assert longest_sentence(" ".join(["word"] * 21) + ".") == 21


def test_a_loanword_is_found_unless_bracketed_or_the_glossarys_own(tmp_path: Path) -> None:
    glossary, loanwords = load_glossary(), Loanwords()
    assert loanwords.found("Waxaan ahay kaaliye otomaatig ah.", "so", glossary)
    assert loanwords.found("Bot-ka ka codso.", "so", glossary)
    assert loanwords.found("Wac lataliyaha mentor-ka.", "so", glossary)
    assert not loanwords.found("Lataliye hooyooyinka (mentor).", "so", glossary)
    assert loanwords.found("Bot'tan isteyin.", "tr", glossary)
    # A word the glossary itself uses in that language is allowed, even when listed.
    listed = tmp_path / "loanwords.yml"
    listed.write_text("tr:\n  - {stems: [mentor, online], endings: ['', dan], instead: x}\n")
    assert not Loanwords(listed).found("Bir mentordan isteyin.", "tr", glossary)
    assert Loanwords(listed).found("Online başvurun.", "tr", glossary)
