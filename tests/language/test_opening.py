"""The first message decides the language: no stickiness to the default until something is decisive."""

from __future__ import annotations

import pytest

from bot.core import LANGUAGES
from bot.language import choose_language
from bot.language.opening import opening_language
from bot.text import normalise
from tests.language.conftest import messages

# Short first messages a parent really opens with (the two reports first).
FIRST_MESSAGES = {
    "so": ["salaan walaal", "asc walaal", "iska warran", "ma nabad baa", "caawimaad"],
    "tr": ["merhaba", "selam", "günaydın", "iyi akşamlar", "yardım lazım"],
    "en": ["hello", "hi there", "good morning", "help please", "any groups?"],
}
# Messages with nothing to go on: the conversation keeps the language it had.
NOTHING_TO_GO_ON = ["ok", "👍", "12:30", "😂😂", "...", "NHS"]


def first(text: str, default: str = "en") -> tuple[str, bool]:
    """The language and settledness after `text` opens a conversation that starts in `default`."""
    choice = choose_language(default, False, normalise(text), None, settled=False)
    return choice.language, choice.settled


@pytest.mark.parametrize("default", LANGUAGES)
@pytest.mark.parametrize(
    ("text", "language"), [(t, lang) for lang, texts in FIRST_MESSAGES.items() for t in texts]
)
def test_a_short_first_message_decides_whatever_the_default(
    text: str, language: str, default: str
) -> None:
    # The default is English for a new web session, and Telegram's language_code on Telegram:
    # "en" for most Somali parents, since Somali is not one of Telegram's app languages.
    assert first(text, default)[0] == language


def test_the_reported_cases() -> None:
    """Answered in English before: a two-word Somali greeting and a one-word Turkish one."""
    assert first("salaan walaal") == ("so", False)
    assert first("merhaba") == ("tr", False)


@pytest.mark.parametrize("text", NOTHING_TO_GO_ON)
@pytest.mark.parametrize("was", LANGUAGES)
def test_a_message_with_nothing_to_go_on_keeps_the_language(text: str, was: str) -> None:
    assert first(text, was) == (was, False)


def test_a_short_message_does_not_settle_so_the_next_one_decides_again() -> None:
    language, settled = first("salaan walaal")
    assert (language, settled) == ("so", False)
    # "ok" says nothing: still Somali, still open.
    choice = choose_language(language, False, "ok", None, settled=settled)
    assert (choice.language, choice.settled) == ("so", False)
    # Not sticky yet: a short English message moves it, with no decisive sentence needed.
    choice = choose_language(choice.language, False, "any groups?", None, settled=choice.settled)
    assert (choice.language, choice.settled) == ("en", False)


def test_stickiness_begins_with_a_decisive_message() -> None:
    language, settled = first("waxaan raadinayaa koox hooyooyin oo af soomaali ku hadla")
    assert (language, settled) == ("so", True)
    # Settled: short messages in another language no longer move it.
    for text in ["hello", "merhaba", "thanks", "ok"]:
        choice = choose_language(language, False, normalise(text), None, settled=settled)
        assert choice.language == "so" and choice.settled


def test_a_chosen_language_settles_and_locks() -> None:
    choice = choose_language("en", False, "Soomaali", None, settled=False)
    assert (choice.language, choice.locked, choice.settled) == ("so", True, True)
    after = choose_language("so", True, "merhaba", None, settled=True)
    assert after.language == "so"


def test_the_opening_rule_reads_the_text_alone() -> None:
    # Neither the default nor a hint weighs on a message with words in it.
    assert opening_language("salaan walaal", "en") == ("so", False)
    assert opening_language("merhaba", "so") == ("tr", False)
    assert opening_language("👍", "tr") == ("tr", False)


# First-message accuracy on short messages (1-3 words), from a default that is never the
# message's language half the time: the target is the standalone target (docs/language.md).
FIRST_MESSAGE_TARGET = 0.97


@pytest.mark.parametrize("data_set", ["independent/test", "independent/dev", "own"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_first_message_accuracy_on_short_messages(data_set: str, language: str) -> None:
    texts = messages(f"{data_set}/{language}_short")
    wrong = [t for t in texts if first(t, "en")[0] != language]
    accuracy = 1 - len(wrong) / len(texts)
    print(f"{data_set} {language} first message: {accuracy:.3%} of {len(texts)} (wrong: {wrong})")
    assert accuracy >= FIRST_MESSAGE_TARGET, wrong
