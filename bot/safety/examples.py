"""Labelled example messages: the detector's training data and the evaluation splits.

Two files per language in a folder: `<lang>_crisis.txt` with `kind<TAB>who<TAB>message` lines
(`who` is `self`, or `other` when the writer describes someone else), and `<lang>_everyday.txt`
with one everyday message per line. Lines starting with `#` are comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.safety.lists import CRISIS_KINDS

TRAINING_DIR = Path(__file__).with_name("training")
SUBJECTS = ("self", "other")


class ExampleError(ValueError):
    """A line of an example file is malformed."""


@dataclass(frozen=True)
class Example:
    """One message: whether it is a crisis, of which kind (when known), and who it is about."""

    text: str
    language: str
    crisis: bool = False
    kind: str | None = None
    subject: str = "self"


def _lines(path: Path) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    return [
        (number, line.strip())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def crisis_examples(folder: Path, language: str) -> list[Example]:
    """The crisis examples of one language in a folder."""
    path = folder / f"{language}_crisis.txt"
    found = []
    for number, line in _lines(path):
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) != 3:
            raise ExampleError(f"{path}:{number}: expected kind<TAB>who<TAB>message")
        kind, subject, text = fields
        if kind not in CRISIS_KINDS or subject not in SUBJECTS or not text:
            raise ExampleError(f"{path}:{number}: unknown kind {kind!r} or who {subject!r}")
        found.append(Example(text, language, True, kind, subject))
    return found


def everyday_examples(folder: Path, language: str) -> list[Example]:
    """The everyday (not crisis) examples of one language in a folder."""
    path = folder / f"{language}_everyday.txt"
    found = []
    for number, line in _lines(path):
        if "\t" in line:
            raise ExampleError(f"{path}:{number}: an everyday line is one message, no tabs")
        found.append(Example(line, language))
    return found


def examples(folder: Path, language: str) -> list[Example]:
    """Crisis then everyday examples of one language."""
    return crisis_examples(folder, language) + everyday_examples(folder, language)


__all__ = [
    "SUBJECTS",
    "TRAINING_DIR",
    "Example",
    "ExampleError",
    "crisis_examples",
    "everyday_examples",
    "examples",
]
