"""Behaviour of bot.language.detect: stickiness, short messages, explicit switches, priors."""

from __future__ import annotations

import pytest

from bot.language import Detection, detect

SHORT_OR_AMBIGUOUS = [
    "ok",
    "haa",
    "evet",
    "👍",
    "thanks",
    "Amina",
    "Amina Hassan",
    "ok thank you",
    "tamam",
    "mahadsanid",
    "yes",
    "12:30",
    "",
    "   ",
    "lol 😂",
]


@pytest.mark.parametrize("text", SHORT_OR_AMBIGUOUS)
@pytest.mark.parametrize("current", ["en", "so", "tr"])
def test_short_messages_never_flip_the_conversation(text: str, current: str) -> None:
    result = detect(text, current=current)
    assert result.language == current
    assert result.decisive is False


@pytest.mark.parametrize("text", SHORT_OR_AMBIGUOUS)
def test_short_messages_are_not_decisive_standalone(text: str) -> None:
    assert detect(text).decisive is False


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("where is the nearest family hub please", "so", "en"),
        ("waxaan raadinayaa koox hooyooyin oo af soomaali ku hadla", "en", "so"),
        ("bebeğim için Türkçe konuşan bir grup var mı", "en", "tr"),
        ("bebegim icin grup var mi", "so", "tr"),
    ],
)
def test_a_clear_longer_message_is_decisive_and_may_switch(
    text: str, current: str, expected: str
) -> None:
    result = detect(text, current=current)
    assert result == Detection(expected, result.confidence, True)
    assert result.confidence >= 0.8


def test_stickiness_over_a_conversation() -> None:
    current = "so"
    for text in ["haa", "ok", "thanks", "👍", "evet", "Faadumo", "mahadsanid"]:
        current = detect(text, current=current).language
    assert current == "so"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soomaali", "so"),
        ("Türkçe", "tr"),
        ("English", "en"),
        ("/language so", "so"),
        ("turkce lutfen", "tr"),
        ("af soomaali", "so"),
        ("ingilizce", "en"),
    ],
)
@pytest.mark.parametrize("current", ["en", "so", "tr"])
def test_an_explicit_choice_always_wins(text: str, expected: str, current: str) -> None:
    assert detect(text, current=current) == Detection(expected, 1.0, True)


def test_turkish_typed_without_diacritics() -> None:
    assert detect("bebegim icin grup var mi").language == "tr"
    assert detect("cocugum icin oyun grubu ariyorum").language == "tr"


def test_turkish_in_capitals() -> None:
    assert detect("BEBEĞİM İÇİN GRUP VAR MI").language == "tr"
    assert detect("BEBEGIM ICIN GRUP VAR MI").language == "tr"


def test_somali_mixed_with_english_words() -> None:
    result = detect("waxaan rabaa mentor af soomaali ku hadla")
    assert result.language == "so" and result.decisive
    assert detect("ma jiraa baby massage group maanta").language == "so"


def test_telegram_language_code_is_a_prior_for_a_first_message() -> None:
    assert detect("Amina", hint="so").language == "so"
    assert detect("Amina", hint="tr").language == "tr"
    assert detect("Amina", hint="en-GB").language == "en"
    assert detect("👍", hint="tr").language == "tr"


def test_the_hint_never_beats_clear_text_or_the_current_language() -> None:
    assert detect("where is the family hub", hint="so").language == "en"
    assert detect("Amina", current="en", hint="so").language == "en"
    assert detect("Amina", hint="de").language in {"en", "so", "tr"}


def test_confidence_is_a_probability() -> None:
    for text in ["hello there", "haa", "", "bebegim icin grup var mi"]:
        assert 0.0 <= detect(text).confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("family hub nerede", "tr"),
        ("baby massage ma jiraa maanta", "so"),
        ("breastfeeding group ma jiraa", "so"),
        ("stay and play ne zaman", "tr"),
        ("baby massage", "en"),
    ],
)
def test_english_loanwords_do_not_outvote_somali_or_turkish(text: str, expected: str) -> None:
    assert detect(text).language == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("merhabaa", "tr"), ("hellooo", "en"), ("mahadsaniiid", "so")]
)
def test_stretched_words_are_recognised(text: str, expected: str) -> None:
    assert detect(text).language == expected
