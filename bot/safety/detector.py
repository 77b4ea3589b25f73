"""The learned crisis detector: character n-grams and words, three small linear models.

It generalises beyond the phrase lists: a new spelling, word order or way of saying it still
shares most of its character n-grams with the examples it learned from. It is trained at
`familyhub train` (see `learn.py`) and stored as plain arrays (no pickle). Scoring needs no
machine-learning library: a message's n-grams are looked up in the vocabulary and their weights
added, a fraction of a millisecond. A long message is scored in overlapping windows, so the cost
grows with its length and no more.

Three models share the features:
- crisis: how likely the message is a crisis at all (0 to 1);
- kind: which kind of crisis, when it is one;
- subject: whether the writer describes someone else ("my wife hears voices").
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.safety.lists import CRISIS_KINDS
from bot.safety.normalisation import keyed

FILE_NAME = "safety-detector.npz"
FORMAT = 2
CHAR_SIZES = (2, 3, 4, 5)
WINDOW_WORDS = 40
WINDOW_STEP = 20


def prepared(text: str) -> str:
    """What the detector reads: the message keyed without any one language's rewrites."""
    return keyed(text)


def char_ngrams(text: str) -> list[str]:
    """Character n-grams of each word with a space on either side (a word shorter than n once)."""
    found = []
    for word in text.split():
        padded = f" {word} "
        for size in CHAR_SIZES:
            if len(padded) <= size:
                found.append(padded)
                break
            found.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return found


def word_ngrams(text: str) -> list[str]:
    """Words and pairs of neighbouring words."""
    words = text.split()
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def windows(text: str) -> list[str]:
    """A prepared text as windows of WINDOW_WORDS words, overlapping by half (one if short)."""
    words = text.split(" ")
    if len(words) <= WINDOW_WORDS:
        return [text]
    last = len(words) - WINDOW_WORDS
    starts = [*range(0, last, WINDOW_STEP), last]
    return [" ".join(words[start : start + WINDOW_WORDS]) for start in starts]


@dataclass(frozen=True)
class Score:
    """What the detector says of one message."""

    crisis: float
    kind: str
    other: float


@dataclass(frozen=True)
class Detector:
    """Weights by n-gram: one row per vocabulary entry, one column per output.

    Columns: 0 the crisis score, 1 the "someone else" score, then one per kind (`kinds`).
    Each half of the features (characters, words) is L2-normalised, as in training.
    """

    chars: tuple[str, ...]
    words: tuple[str, ...]
    weights: np.ndarray  # (len(chars) + len(words), 2 + len(kinds)), float32
    bias: np.ndarray  # (2 + len(kinds),)
    kinds: tuple[str, ...]
    fingerprint: str
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {gram: row for row, gram in enumerate(self.chars)}
        offset = len(self.chars)
        # Words are kept apart from character n-grams with a prefix no n-gram can contain.
        index.update({"\n" + gram: offset + row for row, gram in enumerate(self.words)})
        object.__setattr__(self, "_index", index)

    def _raw(self, text: str) -> np.ndarray:
        total = self.bias.astype(np.float64)
        for grams, prefix in ((char_ngrams(text), ""), (word_ngrams(text), "\n")):
            counts = Counter(grams)
            norm = math.sqrt(sum(count * count for count in counts.values()))
            rows = [(self._index.get(prefix + gram), count) for gram, count in counts.items()]
            known = [(row, count) for row, count in rows if row is not None]
            if known and norm:
                index = np.fromiter((row for row, _ in known), dtype=np.int64)
                values = np.fromiter((count for _, count in known), dtype=np.float64) / norm
                total = total + values @ self.weights[index]
        return total

    def score(self, text: str) -> Score:
        """Score a message; a long one by its most worrying window."""
        prepared_text = prepared(text)
        if not prepared_text:
            return Score(0.0, self.kinds[0], 0.0)
        raws = [self._raw(window) for window in windows(prepared_text)]
        worst = max(raws, key=lambda raw: raw[0])
        kind = self.kinds[int(np.argmax(worst[2:]))]
        return Score(_sigmoid(worst[0]), kind, _sigmoid(worst[1]))

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILE_NAME
        with path.open("wb") as out:  # np.savez would add ".npz" to a temporary name
            np.savez_compressed(
                out,
                format=np.array(FORMAT),
                chars=np.array(self.chars),
                words=np.array(self.words),
                weights=self.weights,
                bias=self.bias,
                kinds=np.array(self.kinds),
                fingerprint=np.array(self.fingerprint),
            )
        return path


def load(folder: Path) -> Detector | None:
    """The detector saved in a folder, or None when there is none (or of an older format)."""
    path = folder / FILE_NAME
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        if int(data["format"]) != FORMAT:
            return None
        kinds = tuple(str(kind) for kind in data["kinds"])
        if set(kinds) - set(CRISIS_KINDS):
            return None
        return Detector(
            chars=tuple(str(gram) for gram in data["chars"]),
            words=tuple(str(gram) for gram in data["words"]),
            weights=data["weights"],
            bias=data["bias"],
            kinds=kinds,
            fingerprint=str(data["fingerprint"]),
        )


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(value, 500.0), -500.0)))


__all__ = [
    "FILE_NAME",
    "Detector",
    "Score",
    "char_ngrams",
    "load",
    "prepared",
    "windows",
    "word_ngrams",
]
