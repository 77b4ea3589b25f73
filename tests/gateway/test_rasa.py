"""The Rasa client spreads conversations over workers, the same one every time."""

from __future__ import annotations

from bot.gateway.rasa import RasaClient


async def test_each_conversation_stays_on_one_server_and_all_servers_are_used() -> None:
    client = RasaClient(["http://r:5005", "http://r:5006", "http://r:5007"], 1.0)
    ids = [f"{i:032x}" for i in range(300)]
    chosen = [client.server_for(i) for i in ids]
    assert chosen == [client.server_for(i) for i in ids]
    assert {c: chosen.count(c) > 50 for c in client.base_urls} == dict.fromkeys(
        client.base_urls, True
    )
    await client.aclose()
