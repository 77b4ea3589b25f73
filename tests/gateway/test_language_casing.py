"""Turkish-aware lowercasing follows the language a message is written in, not the old one."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.language import choose_language
from bot.text import normalise
from tests.gateway.conftest import Chat, services
from tests.gateway.fake_rasa import FakeRasa


def test_turkish_capitals_in_a_new_session_are_lowercased_the_turkish_way(
    client: TestClient, rasa: FakeRasa
) -> None:
    chat = Chat(client, language=None)  # a new session: English until the parent writes
    reply = chat.say("KIZIM HASTA, NE YAPMALIYIM?")
    assert reply["language"] == "tr"
    assert rasa.messages[-1]["message"] == "kızım hasta, ne yapmalıyım?"
    assert rasa.messages[-1]["metadata"] == {"language": "tr", "safety": {"check": "self"}}


def test_english_capitals_in_a_turkish_conversation_keep_their_dotted_i(
    client: TestClient, rasa: FakeRasa
) -> None:
    chat = Chat(client, "tr")
    reply = chat.say("I NEED HELP")
    assert rasa.messages[-1]["message"] == "i need help"
    assert reply["language"] == "tr"  # a short message does not switch a chosen language
    assert services(client).conversations.get(chat.id).language == "tr"  # type: ignore[union-attr]


def test_a_short_turkish_word_in_a_turkish_conversation_keeps_its_dotless_i(
    client: TestClient, rasa: FakeRasa
) -> None:
    Chat(client, "tr").say("KIZIM")
    assert rasa.messages[-1]["message"] == "kızım"


def test_detection_reads_the_text_normalised_without_a_language() -> None:
    # "ı" is Turkish evidence: text lowercased as Turkish first would pull English toward Turkish.
    choice = choose_language("tr", False, "i need help", None)
    assert choice.language == "tr" and choice.written_in == "en"
    assert normalise("I NEED HELP", choice.written_in) == "i need help"
    turkish = choose_language("en", False, "kizim hasta, ne yapmaliyim?", None)
    assert turkish.language == turkish.written_in == "tr"
    assert normalise("KIZIM HASTA", turkish.written_in) == "kızım hasta"
