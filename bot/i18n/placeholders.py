"""Filling `{placeholders}` without ever crashing on a missing or broken one."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from string import Formatter

log = logging.getLogger(__name__)

_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([.,:;!?])")


def names(text: str) -> set[str]:
    """The placeholder names in a format string ("{x} and {y.z}" gives {"x", "y"})."""
    found: set[str] = set()
    try:
        for _, field, _, _ in Formatter().parse(text):
            if field is not None:
                found.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    except ValueError:
        # An unbalanced brace: the text has no usable placeholders.
        return found
    return found


class _Lenient(dict[str, object]):
    """Values for `format_map` that remember a missing name and render it as nothing."""

    def __init__(self, values: Mapping[str, object]) -> None:
        super().__init__(values)
        self.missing: list[str] = []

    def __missing__(self, key: str) -> str:
        self.missing.append(key)
        return ""


def fill(text: str, values: Mapping[str, object], msgid: str | None = None) -> str:
    """`text.format(**values)`; a missing name is logged and left out, a broken text kept as it is."""
    lenient = _Lenient(values)
    try:
        result = text.format_map(lenient)
    except (ValueError, IndexError, AttributeError, KeyError, TypeError) as error:
        log.error("cannot fill placeholders of %r: %s", msgid or text, type(error).__name__)
        if msgid is not None and msgid != text:
            # A broken translation: the English text is better than a crash or stray braces.
            return fill(msgid, values)
        return text
    if lenient.missing:
        log.warning("missing placeholders %s in %r", sorted(set(lenient.missing)), msgid or text)
        result = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", result)).strip()
    return result
