"""The glossary (locales/glossary.yml): the key terms in English, Somali and Turkish.

Somali and Turkish add endings to words ("umulisadaada": your midwife; "ebenizden": from your
midwife), so a term is not one exact word: each language gives the term's stems and the endings
a stem may take, and a text uses the term when one stem followed by one ending stands as whole
words ("ebe" with "niz" matches "ebeniz", but never "ebeveyn"). Matching is on folded text
(bot.text.fold: case and accents folded), so "Sağlık ziyaretçinize" matches "saglik ziyaretci".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from bot.settings import PROJECT_ROOT
from bot.text import fold

GLOSSARY_PATH = PROJECT_ROOT / "locales" / "glossary.yml"
TRANSLATED = ("so", "tr")
# The review statuses of the catalogs (docs/translation.md), kept per term and language.
REVIEW = re.compile(r"^(machine-draft|checked-by \S.*|needs-work \S.*)$")


class GlossaryError(ValueError):
    """glossary.yml is malformed."""


@dataclass(frozen=True)
class Forms:
    """How a term is written in one language: stems, the endings they take, and the rules."""

    # The form translators should write (shown in the spreadsheet and the docs).
    form: str
    stems: tuple[str, ...]
    endings: tuple[str, ...] = ("",)
    # The English term follows in brackets, e.g. "kalkaalisada caafimaadka (health visitor)".
    keep_english: bool = False
    review: str = "machine-draft"

    @cached_property
    def words(self) -> str:
        """A regular expression for any stem with any allowed ending, on folded text."""
        stems = sorted({fold(s) for s in self.stems}, key=len, reverse=True)
        endings = sorted({fold(e) for e in self.endings}, key=len, reverse=True)
        return f"(?:{'|'.join(map(re.escape, stems))})(?:{'|'.join(map(re.escape, endings))})"

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The stems with their endings as whole words (an apostrophe joins a Turkish suffix)."""
        return re.compile(rf"(?<![\w']){self.words}(?![\w'])")

    @cached_property
    def bracketed(self) -> re.Pattern[str]:
        """The forms in brackets: "(health visitor)", "(GP)"."""
        return re.compile(rf"\(\s*{self.words}\s*\)")

    def found_in(self, text: str) -> bool:
        return bool(self.pattern.search(fold(text)))


@dataclass(frozen=True)
class Term:
    """One key term: its English forms, its Somali and Turkish forms, and a translator's note."""

    term: str
    note: str
    english: Forms
    translations: dict[str, Forms]
    # English phrases where the term is part of a name kept as it is ("Family Hub helper").
    except_in: tuple[str, ...] = ()

    def in_english(self, text: str) -> bool:
        """Whether an English text uses the term (outside the phrases it is excepted in)."""
        folded = fold(text)
        for phrase in self.except_in:
            folded = folded.replace(fold(phrase), " ")
        return bool(self.english.pattern.search(folded))

    def problem(self, language: str, text: str) -> str | None:
        """Why `text` (a translation of an English text that uses the term) breaks the glossary."""
        forms = self.translations[language]
        if not forms.found_in(text):
            return f"uses '{self.term}' but not the glossary's '{forms.form}'"
        if forms.keep_english and not self.english.bracketed.search(fold(text)):
            return f"'{self.term}' should be followed by the English in brackets: '{forms.form}'"
        return None


class Glossary:
    """Every term, in file order."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms

    def used_in(self, english: str) -> list[Term]:
        """The terms an English text uses."""
        return [term for term in self.terms if term.in_english(english)]

    def problems(self, english: str, translation: str, language: str) -> list[str]:
        """Every way a translation breaks the glossary (empty when it keeps to it)."""
        found = (term.problem(language, translation) for term in self.used_in(english))
        return [problem for problem in found if problem]

    def allows(self, word: str, language: str) -> bool:
        """Whether a word is one of the glossary's own forms in `language` ("mentor" in Turkish)."""
        return any(term.translations[language].found_in(word) for term in self.terms)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise GlossaryError(f"{where}: needs a text or a list of texts")


def _forms(value: object, where: str, *, english: bool = False) -> Forms:
    if not isinstance(value, dict):
        raise GlossaryError(f"{where}: needs stems (and endings, when the stems take any)")
    stems = _strings(value.get("stems"), f"{where} stems")
    endings = _strings(value.get("endings", [""]), f"{where} endings")
    review = str(value.get("review", "machine-draft"))
    if not english and not REVIEW.match(review):
        raise GlossaryError(
            f"{where}: review must be machine-draft, checked-by NAME DATE or needs-work NOTE"
        )
    form = str(value.get("form") or stems[0])
    return Forms(form, stems, endings, bool(value.get("keep_english", False)), review)


def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary file, checked: every term has a note and English, Somali and Turkish forms."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = []
    for number, entry in enumerate(data.get("terms") or [], 1):
        where = f"{path.name}: term #{number}"
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("note"):
            raise GlossaryError(f"{where}: needs a term and a note for translators")
        where = f"{path.name}: '{entry['term']}'"
        english = _forms(entry.get("en"), f"{where} (en)", english=True)
        translations = {lang: _forms(entry.get(lang), f"{where} ({lang})") for lang in TRANSLATED}
        excepted = entry.get("except_in")
        except_in = _strings(excepted, f"{where} except_in") if excepted else ()
        terms.append(
            Term(str(entry["term"]), str(entry["note"]).strip(), english, translations, except_in)
        )
    names = [t.term for t in terms]
    if len(names) != len(set(names)):
        raise GlossaryError(f"{path.name}: a term appears twice")
    return Glossary(terms)
