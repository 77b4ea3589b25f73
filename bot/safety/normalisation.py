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

# Turkish compounds written as one word or apart ("herşey" and "her şey").
_TURKISH_WORDS = {
    "hersey": "her sey",
    "birsey": "bir sey",
    "bisey": "bir sey",
    "bisi": "bir sey",
    "hicbirsey": "hicbir sey",
    "hicbisey": "hicbir sey",
    "herseyi": "her seyi",
    "herseye": "her seye",
    "birseyler": "bir seyler",
}
# The urge form: "ölesim geliyor" (I feel like dying) means "ölmek istiyorum".
_TURKISH_URGE = re.compile(
    r"(?<![a-z0-9])([a-z]{2,}?)y?[ae]si(?:m|n|miz)? gel(?:iyor|iyo|di|ir|mis)[a-z]*"
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
    text = _TURKISH_URGE.sub(r"\1mek istiyorum", text)
    return _turkish_words(text)


_turkish_words = _rewriter(_TURKISH_WORDS)
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


# Turkish verb endings in their standard written form (folded, doubles collapsed) and every
# spoken or case form they stand for. Order matters: the longest standard ending first.
_TURKISH_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    # future, I: öldüreceğim, öldürecem, öldürcem, öldürücem, vercem
    (re.compile(r"^(.{2,}?)y?(?:ecegim|acagim)$"), r"y?[aeiu]?c[ae](?:gi|g)?m"),
    # future, we: öldüreceğiz, öldürcez
    (re.compile(r"^(.{2,}?)y?(?:ecegiz|acagiz)$"), r"y?[aeiu]?c[ae](?:gi|g)?z"),
    # future, he/she: verecek, vercek
    (re.compile(r"^(.{2,}?)y?(?:ecek|acak)$"), r"y?[aeiu]?c[ae]k"),
    # present: istiyorum, istiyom, istiyo, dövüyor
    (re.compile(r"^(.{2,}?)[iu]yor(?:um|sun|uz|lar)?$"), r"[iu]yo(?:r(?:um|sun|uz|lar)?|m|n|z)?"),
    # verb noun in every case: ölmek, ölmeyi, ölmeye, ölmekten, ölmesi
    (
        re.compile(r"^(.{2,}?)m[ae](?:k|yi|ye|ya|ktan|kten|si)$"),
        r"m[ae](?:k(?:ten|tan|te|ta|le|la)?|yi|ye|ya|yle|yla|si|sini|sine)",
    ),
)


def suffix_class(word: str, language: str) -> str | None:
    """A regex for a phrase word and its other forms, or None when the word has no class."""
    if language != "tr":
        return None
    for pattern, forms in _TURKISH_SUFFIXES:
        found = pattern.match(word)
        if found:
            return re.escape(found.group(1)) + "(?:" + forms + ")"
    return None


__all__ = ["collapse", "keyed", "rewrite", "spaced", "suffix_class"]
