"""Each language's spellings are brought together before matching, in messages and phrases."""

from __future__ import annotations

import re

import pytest

from bot.safety.normalisation import keyed, suffix_class
from bot.safety.patterns import bounded, phrase_regex


def matches(phrase: str, text: str, language: str) -> bool:
    return re.search(bounded([phrase_regex(phrase, language)]), keyed(text, language)) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I DON'T wanna live", "i do not want to live"),
        ("im gonna kms", "i am going to kil myself"),
        ("cant go on, u know", "can not go on you know"),
        ("hurt my self", "hurt myself"),
    ],
)
def test_english_shorthand(text: str, expected: str) -> None:
    assert keyed(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("waxaan rabaa in aan is dilo", "waxan raba inan is dilo"),
        ("waxa aan ka baqayaa in uu i dilo", "waxan ka baqaya inu i dilo"),
        ("WAA AAN daalay", "wan dalay"),
    ],
)
def test_somali_particles_written_apart_are_joined(text: str, expected: str) -> None:
    assert keyed(text, "so") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("herşeyi bitirmek istiyorum", "her seyi bitirmek istiyorum"),
        ("bişey yapcam", "bir sey yapcam"),
        ("ölesim geliyor", "olmek istiyorum"),
        ("kendimi öldüresim geliyo", "kendimi oldurmek istiyorum"),
    ],
)
def test_turkish_compounds_and_the_urge_form(text: str, expected: str) -> None:
    assert keyed(text, "tr") == expected


def test_rewrites_apply_only_to_their_language() -> None:
    assert keyed("in aan", "en") == "in an"
    assert keyed("wanna", "so") == "wana"
    assert keyed("Öldürürüm!") == "oldururum"


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("kendimi öldüreceğim", "kendimi öldürcem"),
        ("kendimi öldüreceğim", "kendimi oldurucem"),
        ("kendimi öldüreceğim", "kendimi öldürecem"),
        ("bebeğe zarar vereceğim", "bebege zarar vercem"),
        ("ölmek istiyorum", "ölmeyi istiyom"),
        ("ölmek istiyorum", "olmeye istiyorum"),
        ("ölmek istiyorum", "ölesim geliyor"),
        ("bebeğimi boğmak*", "bebegimi bogasim geliyor"),
        ("korkuyorum", "korkuyom"),
        ("zarar verecek", "zarar vercek"),
        ("her şeyi bitirmek istiyorum", "herşeyi bitirmek istiyom"),
        ("her şeyden bıktım", "herşeyden bıktım"),
        ("köprüden atlayacağım", "köprüden atlıcam"),
        ("öleceğim", "ölücem"),
        ("bıçak*", "bıçağı aldım"),
        ("git*", "gidiyorum"),
        ("bebeği atmak istiyorum", "bebeği atasım geliyor"),
    ],
)
def test_turkish_verb_forms_match_their_standard_form(phrase: str, text: str) -> None:
    assert matches(phrase, text, "tr")


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("kendimi öldüreceğim", "kendimi öldürdüm"),  # past, not future: a phrase of its own
        ("ölmek istiyorum", "ölmedim"),
        ("bıçak", "bıçaklar"),  # a noun is not widened
        # Folding makes ö o, so the harmony vowel is all that keeps "die" from "be":
        ("ölmek istiyorum", "iyi bir anne olmak istiyorum"),
        ("ölmek istiyorum", "anne olmayı istiyorum"),
        ("öleceğim", "anne olacağım"),
        ("öleceğim", "olcam"),
    ],
)
def test_turkish_widening_stays_within_its_class(phrase: str, text: str) -> None:
    assert not matches(phrase, text, "tr")


def test_only_turkish_words_in_a_known_form_are_widened() -> None:
    assert suffix_class("olmek", "tr") is not None
    assert suffix_class("bicak", "tr") is None
    assert suffix_class("olmek", "en") is None


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("inaan is dilo", "in aan is dilo"),
        ("ninkayga .. i garaac*", "ninkeyga wuu i garacay"),
        ("hooyaday", "hooyadey"),
    ],
)
def test_somali_phrases_match_spelling_variants(phrase: str, text: str) -> None:
    assert matches(phrase, text, "so")


def test_a_somali_phrase_with_a_separated_particle_is_refused() -> None:
    from bot.safety.patterns import PhraseError

    with pytest.raises(PhraseError, match="joined"):
        phrase_regex("in (aan|uu) dilo", "so")
