"""What a reviewer's text must keep from the English."""

from __future__ import annotations

import pytest

from bot.translation.checks import Checker, numbers
from bot.translation.glossary import load_glossary
from bot.translation.plainness import Loanwords


@pytest.fixture
def turkish() -> Checker:
    return Checker("tr", load_glossary(), Loanwords())


def test_numbers_are_phone_and_text_numbers_only() -> None:
    text = "Call 0808 2000 247 or 116 123'ten, 999'u, 85258'e; 7/24, 0-19, 10:30, option 2"
    assert numbers(text) == ["08082000247", "116123", "999", "85258"]


def test_a_good_correction_passes(turkish: Checker) -> None:
    english = "Call Samaritans on {number}. It is free, any time, day or night."
    assert turkish.problems(english, "Samaritans'ı {number} numarasından arayın. 7/24 açık.") == []


@pytest.mark.parametrize(
    ("english", "text", "problem"),
    [
        ("Call {number} now.", "Hemen arayın.", "curly braces must be exactly the English ones"),
        ("Call {number} now.", "Hemen {numara} arayın.", "(this text has {numara})"),
        ("Call {number} now.", "Hemen {number arayın.", "curly braces must be exactly"),
        ("In an emergency, call 999.", "Acil durumda 112'yi arayın.", "helpline number is missing"),
        ("Call 116 123.", "116 123'ü ya da 116 124'ü arayın.", "not in the English"),
        ("Ask your midwife.", "Doktorunuza sorun.", "uses 'midwife'"),
        ("Hello.", " ".join(["kelime"] * 21) + ".", "a sentence has 21 words"),
        ("Ask the helpline.", "Helpline'a sorun, online.", "a word many parents will not know"),
        ("Hello.", "   ", "the text is empty"),
    ],
)
def test_a_broken_correction_is_caught_with_a_plain_reason(
    turkish: Checker, english: str, text: str, problem: str
) -> None:
    found = turkish.problems(english, text)
    assert any(problem in p for p in found), found
