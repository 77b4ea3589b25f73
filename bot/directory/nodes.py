"""Walks YAML nodes, collecting every problem with its line and column instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.directory.localised import Text
from bot.directory.problems import Problem
from bot.directory.schema import TEXT_LANGUAGES
from bot.directory.values import Invalid, did_you_mean

T = TypeVar("T")
_NULLS = ("", "~", "null", "Null", "NULL")
_TEXT_SPEC = dict.fromkeys(TEXT_LANGUAGES, False)


class NodeChecker:
    """Reads values out of nodes; whatever is wrong becomes a Problem and the walk goes on."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, node: Node, message: str) -> None:
        """Record a problem at `node`."""
        mark = node.start_mark
        # A value quoted in the message may span lines; each problem must stay on one line.
        self.problems.append(Problem(mark.line + 1, mark.column + 1, " ".join(message.split())))

    def fields(
        self,
        node: Node,
        spec: dict[str, bool],
        what: str,
        unknown: Callable[[str], str] | None = None,
    ) -> dict[str, Node] | None:
        """The mapping's fields by name, after checking for unknown, repeated and missing ones."""
        if not isinstance(node, MappingNode):
            self.add(node, f"{what} should be a set of `field: value` lines")
            return None
        found: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if key.__class__ is ScalarNode else ""
            if name in found or name not in spec:
                self._bad_key(key, name, found, spec, what, unknown)
            elif value.__class__ is ScalarNode and not value.style and value.value in _NULLS:
                if spec[name]:
                    self.add(value, f"'{name}' in {what} is empty; fill it in")
            else:
                found[name] = value
        for name, required in spec.items():
            if required and name not in found and not any(k.value == name for k, _ in node.value):
                self.add(node, f"{what} is missing '{name}'")
        return found

    def _bad_key(
        self,
        key: Node,
        name: str,
        found: dict[str, Node],
        spec: dict[str, bool],
        what: str,
        unknown: Callable[[str], str] | None,
    ) -> None:
        if name in found:
            self.add(key, f"'{name}' is given twice in {what}; keep one")
        else:
            message = unknown(name) if unknown else f"unknown field '{name}' in {what}"
            self.add(key, message + did_you_mean(name, tuple(spec)))

    def scalar(self, node: Node, what: str) -> str | None:
        """A single value (not a list or a mapping)."""
        if isinstance(node, ScalarNode):
            return str(node.value)
        self.add(node, f"{what} should be a single value, not a list or a set of fields")
        return None

    def convert(self, node: Node, what: str, check: Callable[[str], T]) -> T | None:
        """A single value passed through `check`; an Invalid becomes a problem."""
        value = self.scalar(node, what)
        if value is None:
            return None
        try:
            return check(value)
        except Invalid as error:
            self.add(node, f"{what}: {error}")
            return None

    def items(self, node: Node, what: str) -> list[Node]:
        """The entries of a list; a single value counts as a list of one."""
        if isinstance(node, SequenceNode):
            return list(node.value)
        if isinstance(node, ScalarNode):
            return [node]
        self.add(node, f"{what} should be a list, e.g. [en, so]")
        return []

    def converted_items(self, node: Node, what: str, check: Callable[[str], T]) -> tuple[T, ...]:
        """Every entry of a list passed through `check`, in order, without repeats."""
        values: list[T] = []
        for item in self.items(node, what):
            value = self.convert(item, what, check)
            if value is not None and value not in values:
                values.append(value)
        return tuple(values)

    def text(self, node: Node, what: str) -> Text | None:
        """A parent-facing text: `{en: ..., so: ..., tr: ...}` with English required."""
        if isinstance(node, ScalarNode):
            self.add(
                node, f'{what} should give the text per language, e.g. {{en: "...", so: "..."}}'
            )
            return None
        fast = _plain_text(node)
        if fast is not None:
            return fast
        versions = self.fields(
            node,
            _TEXT_SPEC,
            what,
            unknown=lambda code: (
                f"{what} has a text in '{code}', which is not a language code the "
                f"bot uses; texts can be in {', '.join(TEXT_LANGUAGES)}"
            ),
        )
        if versions is None:
            return None
        texts: dict[str, str] = {}
        for language, value in versions.items():
            text = self.scalar(value, f"the '{language}' text of {what}")
            if text is not None and text.strip():
                texts[language] = " ".join(text.split())
        if "en" not in texts:
            self.add(node, f"{what} has no English text; add `en: ...` (English is required)")
            return None
        return Text(texts["en"], texts.get("so"), texts.get("tr"))


def _plain_text(node: Node) -> Text | None:
    """The text when it is written the usual way (known languages, single values, English given)."""
    if node.__class__ is not MappingNode:
        return None
    texts: dict[str, str] = {}
    for key, value in node.value:
        name = key.value
        if name not in _TEXT_SPEC or name in texts or value.__class__ is not ScalarNode:
            return None
        if value.value.strip():
            texts[name] = " ".join(value.value.split())
    if "en" not in texts:
        return None
    return Text(texts["en"], texts.get("so"), texts.get("tr"))
