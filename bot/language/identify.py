"""Which of our languages a message is in: n-gram statistics combined with word evidence."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from bot.core import LANGUAGES
from bot.language.choice import explicit_choice
from bot.language.lexicon import NEUTRAL, Lexicon, default_lexicon, default_loanwords, tokens
from bot.text import fold, normalise

TURKISH_LETTERS = frozenset("çğışöü")
_REPEATS = re.compile(r"(.)\1+")
TURKISH_LETTER_WEIGHT = 2.5
NGRAM_WEIGHT = 2.0
NGRAM_FULL_LENGTH = 20
HINT_WEIGHT = 2.5
CURRENT_WEIGHT = 1.5
# The start of a long message says enough about its language.
MAX_CHARS = 1000
DECISIVE_WORDS = 3
DECISIVE_CONFIDENCE = 0.8
# Lexical evidence this lopsided decides on its own; the n-gram detector is skipped.
FAST_PATH_SCORE = 8.0
# Small talk that every parent types whatever their language; it never makes a message decisive.
SMALL_TALK = frozenset(
    fold(word)
    for word in [
        "ok",
        "okay",
        "yes",
        "no",
        "yeah",
        "yep",
        "nope",
        "thanks",
        "thank",
        "you",
        "please",
        "hi",
        "hello",
        "hey",
        "bye",
        "cheers",
        "haa",
        "maya",
        "mahadsanid",
        "fadlan",
        "salaan",
        "nabadgelyo",
        "hagaag",
        "evet",
        "hayır",
        "tamam",
        "peki",
        "teşekkürler",
        "teşekkür",
        "ederim",
        "sağol",
        "lütfen",
        "merhaba",
        "selam",
    ]
)


@dataclass(frozen=True)
class Detection:
    """A language guess: the language, how sure (0-1), and whether it may change a conversation."""

    language: str
    confidence: float
    decisive: bool


def _factory() -> DetectorFactory:
    """A langdetect factory that knows only our three languages, with a fixed seed."""
    factory = DetectorFactory()
    profiles = [Path(PROFILES_DIRECTORY, lang).read_text(encoding="utf-8") for lang in LANGUAGES]
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


def _words(text: str) -> tuple[list[str], list[str]]:
    """A message's words as typed (normalised) and folded, without the language-neutral ones."""
    text = text[:MAX_CHARS]
    typed = [w for w in tokens(normalise(text)) if w not in NEUTRAL]
    return typed, [w for w in tokens(fold(text)) if w not in NEUTRAL]


def _squeeze(word: str) -> str:
    """A word with every run of a repeated letter cut to one letter."""
    return _REPEATS.sub(r"\1", word)


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    """Scores turned into probabilities."""
    top = max(scores.values())
    exps = {lang: math.exp(score - top) for lang, score in scores.items()}
    total = sum(exps.values())
    return {lang: value / total for lang, value in exps.items()}


class Identifier:
    """Language identification over en/so/tr with one cached n-gram detector factory."""

    def __init__(self, lexicon: Lexicon, loanwords: frozenset[str] = frozenset()) -> None:
        self.lexicon = lexicon
        # English words borrowed into Somali or Turkish sentences would sway the n-grams.
        self.loanwords = loanwords
        # "merhabaa", "hellooo", "evett": stretched words are looked up with doubles squeezed
        self.squeezed: Lexicon = {}
        for word, weights in lexicon.items():
            self.squeezed.setdefault(_squeeze(word), weights)
        self.factory = _factory()

    def _ngrams(self, text: str) -> dict[str, float]:
        """langdetect's probabilities for our languages (uniform when it has nothing to go on)."""
        detector = self.factory.create()
        detector.append(text)
        try:
            found = {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            found = {}
        if not found:
            return dict.fromkeys(LANGUAGES, 1 / len(LANGUAGES))
        return {lang: found.get(lang, 0.0) for lang in LANGUAGES}

    def evidence(self, typed: list[str], folded: list[str]) -> dict[str, float]:
        """Word and letter evidence for each language, from the words as typed and folded."""
        scores = dict.fromkeys(LANGUAGES, 0.0)
        scores["tr"] += TURKISH_LETTER_WEIGHT * sum(1 for w in typed if TURKISH_LETTERS & set(w))
        for word in folded:
            found = self.lexicon.get(word) or self.squeezed.get(_squeeze(word), {})
            for lang, weight in found.items():
                scores[lang] += weight
        return scores

    def _probabilities(
        self, typed: list[str], folded: list[str], prior: dict[str, float] | None
    ) -> dict[str, float]:
        """Probability of each language for a message's words (as typed and folded), given
        optional prior score bonuses."""
        scores = self.evidence(typed, folded)
        ranked = sorted(scores.values(), reverse=True)
        if typed and not (ranked[0] >= FAST_PATH_SCORE and ranked[1] <= ranked[0] / 4):
            own = " ".join([w for w in typed if w not in self.loanwords] or typed)
            # n-grams of a word or two are close to a guess, however sure langdetect says it is
            weight = NGRAM_WEIGHT * min(1.0, len(own) / NGRAM_FULL_LENGTH)
            for lang, prob in self._ngrams(own).items():
                scores[lang] += weight * prob
        for lang, bonus in (prior or {}).items():
            if lang in scores:
                scores[lang] += bonus
        return _softmax(scores)

    def detect(
        self, text: str, *, current: str | None = None, hint: str | None = None
    ) -> Detection:
        """Detect the language of one message; see bot.language.detect."""
        current = current if current in LANGUAGES else None
        choice = explicit_choice(text)
        if choice:
            return Detection(choice, 1.0, True)
        hint_lang = (hint or "").lower().replace("_", "-").split("-")[0]
        prior: dict[str, float] = {}
        if current:
            prior[current] = CURRENT_WEIGHT
        elif hint_lang in LANGUAGES:
            prior[hint_lang] = HINT_WEIGHT
        if not tokens(text[:MAX_CHARS]):
            fallback = current or (hint_lang if hint_lang in LANGUAGES else "en")
            return Detection(fallback, 0.0, False)
        typed, folded = _words(text)
        probs = self._probabilities(typed, folded, prior)
        best = max(probs, key=lambda lang: probs[lang])
        content = [w for w in folded if w not in SMALL_TALK and len(w) > 1]
        decisive = len(content) >= DECISIVE_WORDS and probs[best] >= DECISIVE_CONFIDENCE
        if current and not decisive:
            return Detection(current, round(probs[current], 4), False)
        return Detection(best, round(probs[best], 4), decisive)


@cache
def identifier() -> Identifier:
    """The process-wide identifier, built on first use (word lists and NLU data read once)."""
    return Identifier(default_lexicon(), default_loanwords())


def detect(text: str, *, current: str | None = None, hint: str | None = None) -> Detection:
    """Detect a message's language; short or unclear messages never override `current`.

    `current` is the conversation's language; `hint` is Telegram's language_code, used as a
    prior for a first message (ignored once the conversation has a language).
    """
    return identifier().detect(text, current=current, hint=hint)
