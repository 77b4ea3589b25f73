"""Reads the YAML file into nodes that remember their line and column; syntax errors in plain words."""

from __future__ import annotations

import yaml
from yaml.nodes import Node

from bot.directory.problems import Problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# libyaml's wording, and what it means for someone editing the file by hand.
_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "there is a colon (:) where one is not expected; if a text contains a colon, put the whole text in quotes",
    ),
    ("'\\t'", "there is a tab here; indent with spaces only"),
    ("tab character", "there is a tab here; indent with spaces only"),
    (
        "could not find expected ':'",
        "a line is missing its colon (write `field: value`), or a quote mark is not closed",
    ),
    (
        "did not find expected key",
        "the indentation is not consistent here; line this field up with the others at its level",
    ),
    (
        "did not find expected '-' indicator",
        "the indentation of this list is not consistent; line each `-` up with the others",
    ),
    (
        "expected <block end>",
        "the indentation is not consistent here; line this up with the lines above it",
    ),
    ("found unexpected end of stream", "a quote mark or bracket is opened but never closed"),
    (
        "unknown escape character",
        "a backslash (\\) inside double quotes; use single quotes, or remove the backslash",
    ),
    ("did not find expected ',' or ']'", "a [list] is not closed with ] or is missing a comma"),
    ("did not find expected ',' or '}'", "a {mapping} is not closed with } or is missing a comma"),
    ("found character '@'", "a value cannot start with @ or `; put it in quotes"),
    ("found character '`'", "a value cannot start with @ or `; put it in quotes"),
    ("found undefined alias", "a value starts with *; put it in quotes"),
    ("expected alphabetic or numeric character", "a value starts with * or &; put it in quotes"),
    (
        "but found another document",
        "the file has a `---` line in the middle; there must be only one document",
    ),
)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes nodes without guessing scalar types: every scalar stays the text the partner wrote."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return "!"


def read_nodes(data: bytes) -> tuple[Node | None, list[Problem]]:
    """The document's root node, or the problem that stops the file being read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                line, 1, "this line has characters that are not UTF-8; save the file as UTF-8 text"
            )
        ]
    if not text.strip():
        return None, [Problem(1, 1, "the file is empty")]
    try:
        root = _Loader(text).get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error)]
    except yaml.YAMLError as error:
        return None, [Problem(1, 1, f"the file cannot be read as YAML: {error}")]
    if root is None:
        return None, [Problem(1, 1, "the file is empty")]
    return root, []


def _syntax_problem(error: yaml.MarkedYAMLError) -> Problem:
    """A syntax error as one plain line, at the place libyaml noticed it."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    wording = f"{error.context or ''} {error.problem or ''}"
    for needle, hint in _SYNTAX_HINTS:
        if needle in wording:
            return Problem(line, column, f"the file is not valid YAML here: {hint}")
    return Problem(
        line, column, f"the file is not valid YAML here ({(error.problem or 'unreadable').strip()})"
    )
