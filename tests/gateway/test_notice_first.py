"""The privacy notice comes before the first stored message, whatever that message is."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.conversations import notice
from bot.core import Inbound
from tests.gateway.conftest import services

CHOOSE_SOMALI = '/choose_language{"language": "so"}'


def _handle(client: TestClient, inbound: Inbound):  # type: ignore[no-untyped-def]
    router = services(client).router
    return client.portal.call(router.take, inbound)  # type: ignore[union-attr]


def test_a_button_only_telegram_parent_sees_the_notice_first(client: TestClient) -> None:
    records = services(client).conversations
    state = records.for_telegram_chat(31, "en")
    first = _handle(client, Inbound("telegram", state.id, kind="payload", payload=CHOOSE_SOMALI))
    assert first.messages[0] == notice.notice_message("so", "telegram", 30)
    assert records.get(state.id).notice_shown  # type: ignore[union-attr]

    again = _handle(client, Inbound("telegram", state.id, kind="payload", payload="/find_groups"))
    assert notice.notice_message("so", "telegram", 30) not in again.messages

    agreed = _handle(
        client, Inbound("telegram", state.id, kind="payload", payload=notice.CONSENT_YES)
    )
    assert agreed.messages == [notice.consent_reply("so", True)]
    _handle(client, Inbound("telegram", state.id, kind="payload", payload="/find_hub"))
    assert records.transcript(state.id, 0)  # stored only after the notice and consent


def test_agreeing_first_needs_no_notice_again(client: TestClient) -> None:
    records = services(client).conversations
    state = records.for_telegram_chat(32, "tr")
    reply = _handle(
        client, Inbound("telegram", state.id, kind="payload", payload=notice.CONSENT_YES)
    )
    assert reply.messages == [notice.consent_reply("tr", True)]
