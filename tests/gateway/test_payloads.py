"""Button payloads: only `/intent` or `/intent{json}` of a known intent."""

from __future__ import annotations

from pathlib import Path

from bot.gateway.payloads import CONTRACT_INTENTS, domain_intents, parse


def test_parse_accepts_the_two_forms() -> None:
    assert parse("/greet").intent == "greet"  # type: ignore[union-attr]
    found = parse('/choose_language{"language": "so"}')
    assert found is not None and found.entities == {"language": "so"}


def test_parse_refuses_everything_else() -> None:
    for raw in (
        "greet",
        "/",
        "/greet{",
        '/greet{"a": {"b": 1}}',
        "/gr eet",
        "/" + "a" * 2000,
        '/x["a"]',
    ):
        assert parse(raw) is None, raw


def test_domain_intents_are_read_from_domain_files(tmp_path: Path) -> None:
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "a.yml").write_text(
        "intents:\n  - extra_one\n  - extra_two:\n      use_entities: []\n"
    )
    assert domain_intents(tmp_path) == {"extra_one", "extra_two"}
    assert "delete_my_data" in CONTRACT_INTENTS
