"""Word evidence: curated lists and NLU training data (own fixtures, not the real data)."""

from __future__ import annotations

from pathlib import Path

from bot.language.identify import Identifier
from bot.language.lexicon import (
    CURATED_WEIGHT,
    LOANWORD_WEIGHT,
    TRAINING_WEIGHT,
    build_lexicon,
    default_lexicon,
    training_vocabulary,
)

NLU = """version: "3.1"
nlu:
- intent: find_groups
  examples: |
    - {text}
    - [qwertyx](group_type) zorblat
- synonym: en
  examples: |
    - ignoredsynonym
"""


def _write(root: Path, language: str, text: str, name: str = "groups.yml") -> None:
    folder = root / language
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(NLU.format(text=text), encoding="utf-8")


def test_training_vocabulary_reads_examples_and_strips_annotations(tmp_path: Path) -> None:
    _write(tmp_path, "so", "Waxaan rabaa koox")
    vocabulary = training_vocabulary(tmp_path)
    assert {"waxaan", "rabaa", "koox", "qwertyx", "zorblat"} <= vocabulary["so"]
    assert "ignoredsynonym" not in vocabulary["so"]
    assert vocabulary["en"] == set() and vocabulary["tr"] == set()


def test_missing_or_broken_training_files_are_tolerated(tmp_path: Path) -> None:
    assert training_vocabulary(tmp_path / "nowhere") == {"en": set(), "so": set(), "tr": set()}
    (tmp_path / "tr").mkdir()
    (tmp_path / "tr" / "bad.yml").write_text("nlu: [unclosed", encoding="utf-8")
    (tmp_path / "tr" / "empty.yml").write_text("", encoding="utf-8")
    assert training_vocabulary(tmp_path)["tr"] == set()


def test_single_file_per_language_layout(tmp_path: Path) -> None:
    (tmp_path / "tr.yml").write_text(NLU.format(text="Çocuğum için"), encoding="utf-8")
    assert {"cocugum", "icin"} <= training_vocabulary(tmp_path)["tr"]


def test_only_words_distinctive_of_one_language_count(tmp_path: Path) -> None:
    lexicon = build_lexicon(
        {"en": {"group"}, "so": {"koox", "see"}, "tr": {"grup"}},
        {"en": {"mentor", "plinth", "see"}, "so": {"mentor", "fooxleh"}, "tr": {"grup"}},
    )
    assert lexicon["fooxleh"] == {"so": TRAINING_WEIGHT}
    assert lexicon["plinth"] == {"en": TRAINING_WEIGHT}
    assert "mentor" not in lexicon  # trained on in two languages
    assert lexicon["koox"] == {"so": CURATED_WEIGHT}
    assert lexicon["see"] == {"so": CURATED_WEIGHT}  # curated evidence wins over training


def test_loanwords_count_weakly_for_english() -> None:
    lexicon = build_lexicon({"en": {"baby"}, "so": set(), "tr": set()}, None, {"baby"})
    assert lexicon["baby"] == {"en": LOANWORD_WEIGHT}


def test_words_shared_by_curated_lists_split_their_weight() -> None:
    lexicon = build_lexicon({"en": {"dad"}, "so": {"dad"}, "tr": set()})
    assert lexicon["dad"] == {"en": CURATED_WEIGHT / 2, "so": CURATED_WEIGHT / 2}


def test_training_words_move_the_guess(tmp_path: Path) -> None:
    _write(tmp_path, "so", "blorvik")
    with_data = Identifier(build_lexicon({}, training_vocabulary(tmp_path)))
    without = Identifier(build_lexicon({}))
    words = (["blorvik"], ["blorvik"])  # as typed, and folded
    assert with_data.evidence(*words)["so"] > without.evidence(*words)["so"]


def test_default_lexicon_has_curated_words_of_each_language() -> None:
    lexicon = default_lexicon()
    assert "en" in lexicon["the"] and "so" in lexicon["waxaan"] and "tr" in lexicon["icin"]
    assert "ok" not in lexicon and "mentor" not in lexicon
