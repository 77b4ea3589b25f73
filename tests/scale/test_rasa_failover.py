"""A real Rasa server killed: the gateway answers its conversations from the other one, shows
it in the detailed health view, and sends them back once it serves again."""

from __future__ import annotations

import httpx
import pytest

from bot.gateway.replies import unavailable
from bot.gateway.servers import ServerPool
from tests.scale.cluster import Cluster

pytestmark = pytest.mark.integration


def open_session(url: str) -> tuple[str, dict[str, str]]:
    created = httpx.post(f"{url}/api/sessions", json={"language": "en"}, timeout=30).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    path = f"{url}/api/sessions/{created['session']}"
    assert httpx.post(f"{path}/consent", json={"consent": True}, headers=headers, timeout=30)
    return path, headers


def answered(path: str, headers: dict[str, str], text: str) -> bool:
    response = httpx.post(f"{path}/messages", json={"text": text}, headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    texts = [message.get("text", "") for message in response.json()["messages"]]
    # Rasa's answer, not the gateway's own "the assistant is unavailable" reply.
    return bool(texts) and unavailable("en").text not in texts


def rasa_servers(cluster: Cluster, url: str) -> dict[str, dict[str, object]]:
    health = cluster.health(url)
    return {server["url"]: server for server in health["rasa"]["servers"]}


def test_a_killed_rasa_servers_conversations_fail_over_and_come_back(cluster: Cluster) -> None:
    url = cluster.urls[0]
    first, second = cluster.rasa_urls
    pool = ServerPool([first, second])
    sessions = [open_session(url) for _ in range(6)]
    on_second = [s for s in sessions if pool.ranked(s[0].rsplit("/", 1)[1])[0] == second]
    assert on_second, "no conversation ranked the second server first"
    for path, headers in sessions:
        assert answered(path, headers, "hello")

    cluster.kill("rasa2")
    for path, headers in sessions:
        assert answered(path, headers, "are there any baby groups near me?")
    servers = rasa_servers(cluster, url)
    assert servers[second]["up"] is False and servers[second]["failed_over"] is True
    assert servers[first]["up"] is True and servers[first]["failed_over"] is False
    assert cluster.health(url)["rasa"]["serving"] is True
    failovers = servers[second]["failovers"]

    cluster.supervisor.start_child("rasa2")
    cluster.wait(
        lambda: rasa_servers(cluster, url)[second]["failed_over"] is False,
        "the restarted Rasa server back in use",
    )
    for path, headers in on_second:
        assert answered(path, headers, "thank you")
    # They went to it, not past it: no new failover.
    assert rasa_servers(cluster, url)[second]["failovers"] == failovers
    assert cluster.health(url)["rasa"]["ok"] is True
