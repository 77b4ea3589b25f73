"""`make eval`'s language figures: which language each held-out message is read as.

Per language, on tests/language/data/independent/test (written apart from the detector and
never used to tune it):
- standalone accuracy on short (1-3 words) and long messages: the message alone, no history;
- first-message accuracy on short messages: the language a brand-new conversation answers in
  after that one message (bot.language.choose_language with the conversation unsettled), from
  each default a conversation can start in: English (a new web session, or Telegram's `en`
  code, which most Somali parents send) and Turkish (Telegram's `tr` code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core import LANGUAGES
from bot.language import choose_language, detect
from bot.settings import PROJECT_ROOT
from bot.text import normalise

DATA_DIR = PROJECT_ROOT / "tests" / "language" / "data"
MEASURE = "independent/test"
# The targets of docs/language.md.
TARGETS = {"short": 0.98, "long": 0.995, "first": 0.97}
# The language a new conversation has before its first message: web default and Telegram codes.
DEFAULTS = ("en", "tr")


@dataclass(frozen=True)
class LanguageFigures:
    """How one language's held-out messages were read."""

    language: str
    short: float
    long: float
    # default language -> share of short first messages answered in the right language
    first: dict[str, float]
    first_missed: list[str]

    def below_target(self) -> list[str]:
        figures = {"short": self.short, "long": self.long} | {
            f"first from {d}": v for d, v in self.first.items()
        }
        return [name for name, value in figures.items() if value < TARGETS[name.split()[0]]]


def read_messages(path: Path) -> list[str]:
    """The messages of one evaluation file (comments and blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def first_message_language(text: str, default: str) -> str:
    """The language a new, unsettled conversation that starts in `default` answers `text` in."""
    return choose_language(default, False, normalise(text), None, settled=False).language


def _share(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def figures(data_set: str = MEASURE, data_dir: Path = DATA_DIR) -> list[LanguageFigures]:
    """Every language's figures on one data set."""
    found = []
    for language in LANGUAGES:
        short = read_messages(data_dir / data_set / f"{language}_short.txt")
        long = read_messages(data_dir / data_set / f"{language}_long.txt")
        first = {d: [first_message_language(t, d) == language for t in short] for d in DEFAULTS}
        missed = sorted(
            {t for d in DEFAULTS for t, ok in zip(short, first[d], strict=True) if not ok}
        )
        found.append(
            LanguageFigures(
                language,
                _share([detect(t).language == language for t in short]),
                _share([detect(t).language == language for t in long]),
                {d: _share(hits) for d, hits in first.items()},
                missed,
            )
        )
    return found


def render(found: Sequence[LanguageFigures], data_set: str = MEASURE) -> str:
    """The figures as a plain-text table, with the first messages that were missed."""
    defaults = "  ".join(f"first/{d}" for d in DEFAULTS)
    lines = [f"Language identification ({data_set})", f"language  short    long   {defaults}"]
    for f in found:
        firsts = "  ".join(f"{f.first[d]:>8.3f}" for d in DEFAULTS)
        flag = f"  < target: {', '.join(f.below_target())}" if f.below_target() else ""
        lines.append(f"{f.language:<9} {f.short:>6.3f}  {f.long:>6.3f}  {firsts}{flag}")
    lines.append(
        "short/long: the message alone; first/xx: a new conversation's first short message, "
        "from default language xx"
    )
    for f in found:
        if f.first_missed:
            lines.append(f"  [{f.language}] first messages missed: {', '.join(f.first_missed)}")
    return "\n".join(lines)
