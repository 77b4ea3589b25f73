"""The NLG app Rasa calls: request validation and rendering in English, Somali and Turkish."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from bot.i18n import translate
from bot.i18n.nlg import create_nlg_app

SHAPE = {"text", "buttons", "image", "elements", "attachments", "custom"}


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_nlg_app())


def request(
    response: str, arguments: dict[str, Any] | None = None, slots: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A request as Rasa 3.6 sends it."""
    return {
        "response": response,
        "arguments": arguments or {},
        "tracker": {
            "sender_id": "abc123",
            "slots": slots or {},
            "latest_message": {},
            "events": [],
        },
        "channel": {"name": "rest"},
    }


@pytest.mark.parametrize(
    ("language", "hello"),
    [
        ("en", "Hello Amina, welcome!"),
        ("so", "Salaan Amina, soo dhawoow!"),
        ("tr", "Merhaba Amina, hoş geldiniz!"),
    ],
)
def test_renders_in_the_slot_language(
    client: TestClient, test_domain: None, test_catalogs: None, language: str, hello: str
) -> None:
    answer = client.post(
        "/", json=request("utter_hello", {"name": "Amina"}, {"language": language})
    )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == SHAPE
    assert body["text"] == hello
    assert body["buttons"][0]["payload"] == "/find_groups"


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_service_card_through_the_endpoint(
    client: TestClient, directory: object, language: str
) -> None:
    answer = client.post(
        "/",
        json=request("utter_service_card", {"service_id": "somali-group"}, {"language": language}),
    )
    assert answer.status_code == 200
    assert "020 7946 0105" in answer.json()["text"]


@pytest.mark.parametrize("language", ["en", "so", "tr"])
def test_crisis_through_the_endpoint(
    client: TestClient, broken_directory: object, language: str
) -> None:
    answer = client.post("/", json=request("utter_crisis", {"language": language}))
    assert answer.status_code == 200
    text = answer.json()["text"]
    assert all(number in text for number in ("999", "111", "116 123", "85258"))
    assert (
        translate(
            language,
            "Call Samaritans on {number}. It is free, any time, day or night.",
            number="116 123",
        )
        in text
    )


def test_language_argument_wins_over_the_slot(
    client: TestClient, test_domain: None, test_catalogs: None
) -> None:
    body = request("utter_hello", {"name": "A", "language": "tr"}, {"language": "so"})
    assert client.post("/", json=body).json()["text"] == "Merhaba A, hoş geldiniz!"


def test_unknown_response_is_answered_in_english(client: TestClient, test_domain: None) -> None:
    answer = client.post("/", json=request("utter_nothing_like_this", slots={"language": "so"}))
    assert answer.status_code == 200
    assert answer.json()["text"].startswith("Sorry, something went wrong")


def test_missing_tracker_and_arguments_are_allowed(client: TestClient, test_domain: None) -> None:
    answer = client.post("/", json={"response": "utter_two"})
    assert answer.status_code == 200


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b"{}", "'response'"),
        (b'{"response": ""}', "'response'"),
        (b'{"response": 3}', "'response'"),
        (b'{"response": "utter_two", "arguments": []}', "'arguments'"),
        (b'{"response": "utter_two", "tracker": {"slots": "x"}}', "'slots'"),
        (b'{"response": "utter_two", "tracker": "x"}', "'tracker'"),
    ],
)
def test_bad_requests_get_a_clear_400(client: TestClient, body: bytes, detail: str) -> None:
    answer = client.post("/", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "bad_request"
    assert detail in answer.json()["detail"]


def test_health(client: TestClient) -> None:
    assert client.get("/").json() == {"status": "ok"}
