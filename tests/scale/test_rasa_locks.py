"""Two real Rasa processes on PostgreSQL share one lock per conversation in Redis: a message
waits while another process holds its conversation, and two messages of one conversation sent
to both processes at once are processed one after the other."""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis
import sqlalchemy as sa

from tests.scale.cluster import Cluster

pytestmark = pytest.mark.integration

LOCK_KEY = "familyhub:lock:{}"


def say(rasa_url: str, conversation: str, text: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{rasa_url}/webhooks/rest/webhook",
        json={"sender": conversation, "message": text, "metadata": {"language": "en"}},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def events(cluster: Cluster, conversation: str) -> list[str]:
    """The conversation's events in Rasa's tracker store (PostgreSQL, schema `rasa`), in order."""
    engine = sa.create_engine(cluster.settings.database_url)
    schema = cluster.settings.rasa_tracker_schema
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    f"SELECT type_name, action_name FROM {schema}.events "  # noqa: S608
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": conversation},
            )
            return [f"{kind}:{action or ''}" for kind, action in rows]
    finally:
        engine.dispose()


def test_a_message_waits_while_another_process_holds_its_conversation(
    cluster: Cluster, redis_url: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    held, free = uuid.uuid4().hex, uuid.uuid4().hex
    # Another process's ticket on `held`, as Rasa writes it, valid for 60 s.
    ticket = json.dumps({"number": 0, "expires": time.time() + 60})
    client.set(LOCK_KEY.format(held), json.dumps({"conversation_id": held, "tickets": [ticket]}))
    first, second = cluster.rasa_urls
    answers: list[list[dict[str, Any]]] = []
    waiting = threading.Thread(target=lambda: answers.append(say(first, held, "hello")))
    waiting.start()
    try:
        # Meanwhile the other process, and this one, answer other conversations.
        assert say(second, free, "hello") and say(first, uuid.uuid4().hex, "hello")
        time.sleep(2)
        assert answers == [] and waiting.is_alive()
        assert len(json.loads(client.get(LOCK_KEY.format(held)))["tickets"]) == 2  # type: ignore[arg-type]
    finally:
        # The other process is done: its ticket goes, as Rasa's `finish_serving` drops it.
        lock = json.loads(client.get(LOCK_KEY.format(held)) or b"{}")
        lock["tickets"] = [t for t in lock.get("tickets", []) if json.loads(t)["number"] != 0]
        client.set(LOCK_KEY.format(held), json.dumps(lock))
    waiting.join(30)
    assert answers and answers[0], "the waiting message got no answer once the lock was free"
    assert client.get(LOCK_KEY.format(held)) is None


def test_two_messages_of_one_conversation_on_two_processes_are_processed_in_turn(
    cluster: Cluster, redis_url: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    conversation = uuid.uuid4().hex
    key = LOCK_KEY.format(conversation)
    say(cluster.rasa_urls[0], conversation, "hello")  # the session started
    # Held for a moment by a third process, so that both messages surely arrive while it is
    # busy: each Rasa process must then queue behind it, and behind each other.
    ticket = json.dumps({"number": 0, "expires": time.time() + 60})
    client.set(key, json.dumps({"conversation_id": conversation, "tickets": [ticket]}))
    texts = ["where are baby groups", "I need help with feeding"]
    with ThreadPoolExecutor(2) as pool:
        replies = [
            pool.submit(say, url, conversation, text)
            for url, text in zip(cluster.rasa_urls, texts, strict=True)
        ]
        deadline = time.monotonic() + 30
        while len(json.loads(client.get(key) or b"{}").get("tickets", [])) < 3:
            assert time.monotonic() < deadline, "the two Rasa processes did not both queue"
            time.sleep(0.05)
        lock = json.loads(client.get(key) or b"{}")
        lock["tickets"] = [t for t in lock["tickets"] if json.loads(t)["number"] != 0]
        client.set(key, json.dumps(lock))
        answers = [reply.result(timeout=60) for reply in replies]
    assert all(answers)
    assert client.get(key) is None
    # In the shared tracker the two turns follow each other: each user message is answered and
    # the bot listens again before the next message is read (no turn inside another).
    found = events(cluster, conversation)
    turns = [e for e in found if e.startswith("user:") or e == "action:action_listen"]
    assert turns[-4:] == ["user:", "action:action_listen", "user:", "action:action_listen"], found
