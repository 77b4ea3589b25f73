"""The matching form of a message in each language, and the word classes a phrase absorbs.

Parents write the same words in many ways. Two steps bring those ways together:
- `keyed(text, language)` rewrites the message: case, accents, apostrophes and doubled letters
  everywhere, then each language's spellings (English chat shorthand, Somali particles written
  apart, Turkish compounds and the "urge" form).
- `suffix_class(word, language)` widens one word of a phrase: a Turkish verb written in its
  standard form (öldüreceğim, ölmek, istiyorum) also matches its spoken and case forms
  (öldürcem, ölmeyi, istiyom). Stems with `*` are left as the list author wrote them.

The same rewrites run over the phrase lists, so a list author writes the standard spelling once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.text import fold

_NON_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")

# Whole words, rewritten the same way in messages and in phrases; keys are written as typed.
_ENGLISH_WORDS = {
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "hasnt": "has not",
    "havent": "have not",
    "hadnt": "had not",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "gf": "girlfriend",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "u": "you",
    "ur": "your",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "kms": "kill myself",
    "bf": "boyfriend",
    "hubby": "husband",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "coz": "because",
    "cuz": "because",
    "cos": "because",
    "myslef": "myself",
    "mysef": "myself",
}
_ENGLISH_PAIRS = {"my self": "myself", "no one": "noone", "any more": "anymore"}

# Somali particles are often written apart: "in aan" is "inaan", "waxa uu" is "wuxuu".
_SOMALI_PAIRS = {
    "in aan": "inaan",
    "in an": "inaan",
    "in uu": "inuu",
    "in ay": "inay",
    "in ey": "inay",
    "in aad": "inaad",
    "in aynu": "inaynu",
    "in aanu": "inaanu",
    "in aanan": "inaanan",
    "waa aan": "waan",
    "waa uu": "wuu",
    "waa ay": "way",
    "waa aad": "waad",
    "ayaa aan": "ayaan",
    "ayaa uu": "ayuu",
    "ayaa ay": "ayay",
    "ayaa aad": "ayaad",
    "baa aan": "baan",
    "baa uu": "buu",
    "baa ay": "bay",
    "waxa aan": "waxaan",
    "waxa uu": "wuxuu",
    "waxa ay": "waxay",
    "waxa aad": "waxaad",
}

# Turkish compounds written as one word or apart ("herşey" and "her şey", "herşeyden").
_TURKISH_COMPOUND = re.compile(r"(?<![a-z0-9*])(her|bir|hicbir|bi)(sey|si)(?=[a-z]*(?![a-z0-9*]))")
# The urge form: "ölesim geliyor" (I feel like dying) means "ölmek istiyorum". Its vowel keeps
# the verb's harmony: -esim is said of front-vowel verbs (öl-mek), -asım of back ones (at-mak).
_TURKISH_URGE = re.compile(
    r"(?<![a-z0-9])([a-z]{2,}?)y?([ae])si(?:m|n|miz)? gel(?:iyor|iyo|di|ir|mis)[a-z]*"
)


def _words(table: dict[str, str]) -> re.Pattern[str]:
    """Any key of `table` as a whole word (not followed by `*`, so a phrase's stems stay)."""
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9*])(" + "|".join(map(re.escape, keys)) + r")(?![a-z0-9*])")


def _rewriter(*tables: dict[str, str]) -> Callable[[str], str]:
    patterns = [(_words(table), table) for table in tables]

    def rewrite(text: str) -> str:
        for pattern, table in patterns:
            text = pattern.sub(lambda m, t=table: t[m.group(1)], text)  # type: ignore[misc]
        return text

    return rewrite


def _turkish(text: str) -> str:
    text = _TURKISH_URGE.sub(lambda m: f"{m[1]}m{m[2]}k istiyorum", text)
    return _TURKISH_COMPOUND.sub(lambda m: f"{'bir' if m[1] == 'bi' else m[1]} sey", text)


_REWRITES: dict[str, Callable[[str], str]] = {
    "en": _rewriter(_ENGLISH_WORDS, _ENGLISH_PAIRS),
    "so": _rewriter(_SOMALI_PAIRS),
    "tr": _turkish,
}


def spaced(text: str) -> str:
    """Folded (case, accents), apostrophes dropped, every run of other characters one space."""
    return _NON_WORD.sub(" ", fold(text).replace("'", "")).strip()


def collapse(text: str) -> str:
    """Doubled letters counted once ("garaacaa" is "garaca")."""
    return _DOUBLE.sub(r"\1", text)


def rewrite(text: str, language: str) -> str:
    """A language's spelling rewrites on spaced (or phrase) text; other languages unchanged."""
    found = _REWRITES.get(language)
    return found(text) if found else text


def keyed(text: str, language: str | None = None) -> str:
    """The matching form of a message for one language's list (None: no language rewrites)."""
    plain = spaced(text)
    return collapse(rewrite(plain, language) if language else plain)


# Turkish verb endings in their standard written form (folded, doubles collapsed) and the spoken
# or case forms they stand for. Each keeps the vowel harmony of the standard form: folding makes
# ö o and ü u, so "öleceğim" (I will die) and "olacağım" (I will be) differ only in it.
# The longest standard ending comes first.
_FRONT, _BACK = "e", "a"


def _future(harmony: str, person: str) -> str:
    """-eceğim, -ecem, -icem, -cem (front) or -acağım, -acam, -ıcam, -cam (back)."""
    return "y?[" + harmony + "iu]?c" + harmony + "(?:gi|g)?" + person


_TURKISH_SUFFIXES: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    # future, I: öldüreceğim → öldürecem, öldürcem, öldürücem; vereceğim → vercem
    (re.compile(r"^(.{2,}?)y?(e|a)c(?:e|a)gim$"), lambda h: _future(h, "m")),
    # future, we: öldüreceğiz → öldürcez
    (re.compile(r"^(.{2,}?)y?(e|a)c(?:e|a)giz$"), lambda h: _future(h, "z")),
    # future, he/she: verecek → vercek
    (re.compile(r"^(.{2,}?)y?(e|a)c(?:e|a)k$"), lambda h: _future(h, "k")),
    # present: istiyorum → istiyom, istiyo; dövüyor → dövüyo
    (
        re.compile(r"^(.{2,}?)[iu]yor(?:um|sun|uz|lar)?()$"),
        lambda h: "[iu]yo(?:r(?:um|sun|uz|lar)?|m|n|z)?",
    ),
    # verb noun in every case: ölmek → ölmeyi, ölmeye, ölmekten, ölmesi (and -mak → -mayı …)
    (
        re.compile(r"^(.{2,}?)m(e|a)(?:k|yi|ye|ya|ktan|kten|si)$"),
        lambda h: "m" + h + "(?:k(?:t[ea]n|t[ea]|l[ea])?|yi|y[ea]|yl[ea]|si|sin[ie])",
    ),
)


def suffix_class(word: str, language: str) -> str | None:
    """A regex for a phrase word and its other forms, or None when the word has no class."""
    if language != "tr":
        return None
    for pattern, forms in _TURKISH_SUFFIXES:
        found = pattern.match(word)
        if found:
            stem, harmony = found.group(1), found.group(2)
            widened = re.escape(stem) + "(?:" + forms(harmony) + ")"
            if word[len(stem)] == "y" and stem[-1] in "aeiou":
                # a stem ending in a vowel drops it when spoken: atlayacağım → atlıcam
                widened = f"(?:{widened}|{re.escape(stem[:-1])}[iu]c{harmony}(?:gi|g)?[mzk])"
            return widened
    return None


__all__ = ["collapse", "keyed", "rewrite", "spaced", "suffix_class"]
