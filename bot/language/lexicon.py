"""Word evidence for language identification: curated word lists and the NLU training data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.core import LANGUAGES
from bot.text import fold

WORDS_DIR = Path(__file__).with_name("words")
NLU_DIR = Path(__file__).resolve().parent.parent / "data" / "nlu"
CURATED_WEIGHT = 2.0
TRAINING_WEIGHT = 1.0
LOANWORD_WEIGHT = 0.5
# Words every language's parents type alike: they say nothing about the language.
NEUTRAL = frozenset(
    [
        "ok",
        "okay",
        "okey",
        "oki",
        "okk",
        "k",
        "kk",
        "mentor",
        "mentors",
        "hub",
        "whatsapp",
        "telegram",
        "online",
        "zoom",
        "nhs",
        "gp",
        "lol",
        "haha",
        "hahaha",
        "hehe",
        "xx",
        "x",
        "xxx",
        "covid",
        "paracetamol",
        "calpol",
        "ibuprofen",
        "emoji",
        "sms",
        "app",
        "link",
        "uk",
        "london",
        "wifi",
        "pdf",
        "email",
    ]
)
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")

Lexicon = dict[str, dict[str, float]]


def tokens(text: str) -> list[str]:
    """The words of an already normalised text."""
    return _TOKEN.findall(text)


def _read_words(path: Path) -> set[str]:
    """The folded words of a word list file (comments after #)."""
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        words |= {fold(word) for word in tokens(line.split("#", 1)[0].lower())}
    return words - NEUTRAL


def _examples(path: Path) -> Iterable[str]:
    """The example texts of one Rasa NLU file, entity annotations removed."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    texts: list[str] = []
    for item in data.get("nlu") or [] if isinstance(data, dict) else []:
        if isinstance(item, dict) and "intent" in item and isinstance(item.get("examples"), str):
            for line in item["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(_ANNOTATION.sub(r"\1", line[2:]))
    return texts


def training_vocabulary(root: Path = NLU_DIR) -> dict[str, set[str]]:
    """Folded words of each language's NLU examples (bot/data/nlu/<lang>/*.yml or <lang>.yml)."""
    vocabulary: dict[str, set[str]] = {}
    for language in LANGUAGES:
        files = sorted((root / language).rglob("*.yml")) + [root / f"{language}.yml"]
        words: set[str] = set()
        for path in files:
            if path.is_file():
                for text in _examples(path):
                    words |= {fold(word) for word in tokens(text.lower())}
        vocabulary[language] = words - NEUTRAL
    return vocabulary


def build_lexicon(
    curated: dict[str, set[str]],
    training: dict[str, set[str]] | None = None,
    loanwords: set[str] | None = None,
) -> Lexicon:
    """Weights per word and language.

    Curated words count strongly, English loanwords weakly, and words that only one language's
    training data uses weakly (unless a curated list already says otherwise).
    """
    lexicon: Lexicon = {}
    for language, words in curated.items():
        for word in words:
            lexicon.setdefault(word, {})[language] = CURATED_WEIGHT
    for weights in lexicon.values():
        if len(weights) > 1:  # shared by several lists: split the evidence
            for language in weights:
                weights[language] = CURATED_WEIGHT / len(weights)
    for word in loanwords or set():
        lexicon[word] = {"en": LOANWORD_WEIGHT}
    training = training or {}
    for language, words in training.items():
        others = set().union(*(w for lang, w in training.items() if lang != language))
        for word in words - others:
            if word not in lexicon and len(word) > 1:
                lexicon[word] = {language: TRAINING_WEIGHT}
    return lexicon


def default_loanwords() -> frozenset[str]:
    """English words that Somali and Turkish parents also use (words/loanwords.txt)."""
    return frozenset(_read_words(WORDS_DIR / "loanwords.txt"))


def default_lexicon() -> Lexicon:
    """The curated lists, the loanwords and whatever NLU training data exists now."""
    curated = {lang: _read_words(WORDS_DIR / f"{lang}.txt") for lang in LANGUAGES}
    return build_lexicon(curated, training_vocabulary(), set(default_loanwords()))
