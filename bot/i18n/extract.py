"""Babel extractor for the English response texts and button titles in the Rasa domain files."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from bot.i18n.responses import SPECIAL_RESPONSES


def _line(node: Any, key: object) -> int:
    """The 1-based line of `key` inside a ruamel mapping or sequence, 0 when unknown."""
    try:
        lines = node.lc
        position = lines.key(key) if isinstance(node, Mapping) else lines.item(key)
        return int(position[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def response_texts(data: object) -> Iterator[tuple[int, str, str, str]]:
    """(line, response name, text, kind) for every text and button title under `responses:`."""
    if not isinstance(data, Mapping):
        return
    responses = data.get("responses")
    if not isinstance(responses, Mapping):
        return
    for name, variations in responses.items():
        if not isinstance(variations, list) or name in SPECIAL_RESPONSES:
            continue
        for index, variation in enumerate(variations):
            if not isinstance(variation, Mapping):
                continue
            text = variation.get("text")
            if isinstance(text, str) and text.strip():
                yield _line(variation, "text") or _line(variations, index), str(name), text, "text"
            buttons = variation.get("buttons")
            if not isinstance(buttons, list):
                continue
            for number, button in enumerate(buttons):
                title = button.get("title") if isinstance(button, Mapping) else None
                if isinstance(title, str) and title.strip():
                    yield _line(buttons, number), str(name), title, "button"


def load_yaml(fileobj: IO[bytes]) -> object:
    """The YAML document, keeping line numbers."""
    return YAML(typ="rt").load(fileobj.read().decode("utf-8"))


def extract_responses(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method: each response text and button title, commented with its response."""
    try:
        data = load_yaml(fileobj)
    except (YAMLError, UnicodeDecodeError) as error:
        raise ValueError(
            f"cannot read responses from {getattr(fileobj, 'name', '?')}: {error}"
        ) from error
    for line, name, text, kind in response_texts(data):
        comment = f"response: {name}" if kind == "text" else f"response: {name}, button"
        yield line, None, text, [comment]
