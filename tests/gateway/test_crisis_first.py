"""The crisis screen runs on every parent message before anything else: limits, commands, captions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from bot.core import Inbound
from bot.gateway import replies
from bot.gateway.turn import Router
from bot.safety import screen
from bot.settings import BOT_DIR
from tests.gateway.conftest import Chat, RecordingHandoff, services
from tests.gateway.fake_rasa import FakeRasa

CRISIS = "I want to kill myself"


def _route(client: TestClient, inbound: Inbound):  # type: ignore[no-untyped-def]
    router: Router = services(client).router
    return client.portal.call(router.take, inbound)  # type: ignore[union-attr]


def test_a_rate_limited_web_parent_in_crisis_still_gets_help(
    client: TestClient, handoff: RecordingHandoff, rasa: FakeRasa
) -> None:
    services(client).router.limiter.per_minute = 2
    chat = Chat(client)
    chat.say("hi")
    chat.say("hi again")
    assert chat.post("messages", {"text": "hello?"}).status_code == 429
    response = chat.post("messages", {"text": CRISIS})
    assert response.status_code == 200
    texts = " ".join(m["text"] for m in response.json()["messages"])
    assert "999" in texts and "116 123" in texts
    assert ("request", chat.id, "crisis", True) in handoff.calls
    assert chat.post("messages", {"text": "hello?"}).status_code == 429  # still limited after


def test_a_rate_limited_telegram_parent_in_crisis_still_gets_help(
    client: TestClient, handoff: RecordingHandoff
) -> None:
    services(client).router.limiter.per_minute = 1
    state = services(client).conversations.for_telegram_chat(8, "en")
    _route(client, Inbound("telegram", state.id, text="hi"))
    limited = _route(client, Inbound("telegram", state.id, text="hello?"))
    assert "very quickly" in limited.messages[0].text
    reply = _route(client, Inbound("telegram", state.id, text=CRISIS))
    assert "999" in " ".join(m.text for m in reply.messages)
    assert ("request", state.id, "crisis", True) in handoff.calls


def test_a_typed_command_with_crisis_words_gets_the_crisis_reply(
    chat: Chat, handoff: RecordingHandoff, rasa: FakeRasa
) -> None:
    reply = chat.say("/human i want to kill myself")
    texts = " ".join(m["text"] for m in reply["messages"])
    assert "999" in texts and "did not understand" not in texts
    assert ("request", chat.id, "crisis", True) in handoff.calls
    assert rasa.messages == []


def test_a_telegram_command_is_screened_on_its_whole_line(
    client: TestClient, handoff: RecordingHandoff, rasa: FakeRasa
) -> None:
    state = services(client).conversations.for_telegram_chat(9, "tr")
    inbound = Inbound(
        "telegram",
        state.id,
        kind="payload",
        payload="/talk_to_human",
        text="/human ölmek istiyorum",
    )
    reply = _route(client, inbound)
    assert reply.language == "tr"
    assert "116 123" in " ".join(m.text for m in reply.messages)
    assert ("request", state.id, "crisis", True) in handoff.calls
    assert rasa.messages == []


def test_a_crisis_command_during_a_handoff_reaches_the_mentor_as_urgent(
    client: TestClient, handoff: RecordingHandoff
) -> None:
    state = services(client).conversations.for_telegram_chat(10, "en")
    handoff.active.add(state.id)
    inbound = Inbound("telegram", state.id, kind="payload", payload="/help", text="/help " + CRISIS)
    _route(client, inbound)
    assert ("relay", state.id, "/help " + CRISIS, True) in handoff.calls


def _domain_payloads() -> list[str]:
    found = []
    for path in sorted((BOT_DIR / "domain").glob("*.yml")):
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for variants in (data.get("responses") or {}).values():
            for variant in variants:
                found += [b["payload"] for b in variant.get("buttons") or []]
    return [p for p in found if p.startswith("/")]


ORDINARY_COMMANDS = [
    "/start", "/start so", "/start tr", "/start en", "/start Abc123xyz",
    "/language", "/language so", "/language tr", "/language en",
    "/help", "/human", "/privacy", "/forget", "/cancel", "/available", "/away", "/end",
    '/privacy_consent{"consent": "yes"}', '/privacy_consent{"consent": "no"}',
    '/handoff_share{"share": "yes"}', '/handoff_share{"share": "no"}', "/handoff_cancel",
    '/feedback{"score": "good"}', '/feedback{"score": "ok"}', '/feedback{"score": "bad"}',
]  # fmt: skip


@pytest.mark.parametrize("command", ORDINARY_COMMANDS + _domain_payloads())
def test_ordinary_commands_and_buttons_never_match_the_screen(command: str) -> None:
    assert screen(command) is None


def test_a_crisis_caption_gets_the_crisis_reply_and_an_urgent_alert(
    client: TestClient, handoff: RecordingHandoff
) -> None:
    state = services(client).conversations.for_telegram_chat(11, "so")
    reply = _route(client, Inbound("telegram", state.id, kind="unsupported", text=CRISIS))
    texts = " ".join(m.text for m in reply.messages)
    assert "999" in texts and replies.not_text("so").text not in texts
    assert ("request", state.id, "crisis", True) in handoff.calls


def test_an_ordinary_caption_gets_the_text_only_reply(
    client: TestClient, handoff: RecordingHandoff
) -> None:
    state = services(client).conversations.for_telegram_chat(12, "so")
    reply = _route(client, Inbound("telegram", state.id, kind="unsupported", text="my baby"))
    assert [m.text for m in reply.messages] == [replies.not_text("so").text]
    assert handoff.calls == []
