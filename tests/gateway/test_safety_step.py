"""The safety step of a turn with the learned detector: crisis, unsure (the gentle check, asked
by Rasa, or here when Rasa is down), everyday, and the "No, I am not safe" button."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.i18n import translate
from bot.safety import SafetyNet, Thresholds
from bot.safety.detector import Score
from bot.safety.screen import phrase_screen
from tests.gateway.conftest import Chat, RecordingHandoff, services
from tests.gateway.fake_rasa import FakeRasa

LIMITS = Thresholds(crisis=0.9, check=0.6, nlu_check=0.2, other=0.5)
CHECK_TEXT = "Can I ask: are you safe right now?"


class FixedDetector:
    """Every message gets the same score."""

    def __init__(self, crisis: float, kind: str = "suicide_self_harm", other: float = 0.0) -> None:
        self.fixed = Score(crisis, kind, other)

    def score(self, text: str) -> Score:
        return self.fixed


def use_detector(client: TestClient, detector: FixedDetector) -> None:
    router = services(client).router
    router.safety.net = SafetyNet(phrase_screen(), detector, LIMITS)  # type: ignore[arg-type]


def texts(reply: dict[str, object]) -> list[str]:
    return [m["text"] for m in reply["messages"]]  # type: ignore[attr-defined,index]


def test_the_detector_sure_of_a_crisis_gives_the_crisis_reply_and_an_urgent_request(
    client: TestClient, chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    use_detector(client, FixedDetector(0.95, "postpartum_psychosis", other=0.8))
    reply = chat.say("she has not slept for days and says the baby is not ours")
    assert "urgent help today" in texts(reply)[0] and "do not leave them alone" in texts(reply)[0]
    assert "999" in texts(reply)[0] and "111" in texts(reply)[0]
    assert ("request", chat.id, "crisis", True) in handoff.calls
    assert rasa.messages == []  # never waits for Rasa


def test_unsure_asks_rasa_for_the_gentle_check_with_the_verdict(
    client: TestClient, chat: Chat, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    use_detector(client, FixedDetector(0.7, other=0.9))
    chat.say("things are really bad at home with her")
    assert rasa.messages[-1]["message"] == "/crisis"
    assert rasa.messages[-1]["metadata"]["safety"] == {"check": "other"}
    assert handoff.calls == []  # no alert until the parent says they are not safe


def test_unsure_with_rasa_down_asks_the_gentle_check_here(
    client: TestClient, rasa: FakeRasa
) -> None:
    use_detector(client, FixedDetector(0.7))
    words = {
        "en": "i do not know how much longer i can do this",
        "so": "ma garanayo inta aan sii adkeysan karo",
        "tr": "daha ne kadar dayanabilirim bilmiyorum",
    }
    for language, text in words.items():
        chat = Chat(client, language)
        rasa.down = True
        reply = chat.say(text)
        assert reply["language"] == language
        assert translate(language, CHECK_TEXT) in texts(reply)
        buttons = [b["payload"] for m in reply["messages"] for b in m["buttons"]]
        assert "/crisis" in buttons and "/affirm" in buttons
        rasa.down = False


def test_everyday_words_tell_rasa_not_to_ask_on_its_crisis_intent(
    client: TestClient, chat: Chat, rasa: FakeRasa
) -> None:
    use_detector(client, FixedDetector(0.05))
    chat.say("this heat is killing me")
    assert rasa.messages[-1]["message"] == "this heat is killing me"
    assert rasa.messages[-1]["metadata"]["safety"] == {"check": "none"}
    use_detector(client, FixedDetector(0.3))
    chat.say("so tired of everything")
    assert rasa.messages[-1]["metadata"]["safety"] == {"check": "self"}


def test_not_safe_is_a_crisis_answered_here_even_when_too_fast_or_rasa_is_down(
    client: TestClient, rasa: FakeRasa, handoff: RecordingHandoff
) -> None:
    for language in ("en", "so", "tr"):
        chat = Chat(client, language)
        services(client).router.limiter.limit = 0  # every message is too fast
        rasa.down = True
        reply = chat.tap('/crisis{"subject": "other"}')
        assert "116 123" in "\n".join(texts(reply))
        danger = "If they or anyone else are in danger right now, call {number}."
        assert translate(language, danger, number="999") in "\n".join(texts(reply))
        assert ("request", chat.id, "crisis", True) in handoff.calls
        rasa.down = False
