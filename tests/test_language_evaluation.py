"""`make eval`'s language figures: standalone accuracy and first-message accuracy on short messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import evaluation, language_evaluation
from bot.core import LANGUAGES
from bot.language_evaluation import LanguageFigures, figures, render


def _write(root: Path, language: str, short: list[str], long: list[str]) -> None:
    (root / "set").mkdir(parents=True, exist_ok=True)
    (root / "set" / f"{language}_short.txt").write_text("# a comment\n" + "\n".join(short))
    (root / "set" / f"{language}_long.txt").write_text("\n".join(long))


def test_first_message_figures_count_a_short_greeting_answered_in_its_language(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "en", ["hello", "good morning"], ["where is the nearest family hub"])
    _write(tmp_path, "so", ["salaan walaal", "asc"], ["waxaan rabaa koox hooyooyin ah"])
    _write(tmp_path, "tr", ["merhaba", "👍"], ["bebeğim için bir grup var mı"])
    found = {f.language: f for f in figures("set", tmp_path)}
    assert found["so"].first == {"en": 1.0, "tr": 1.0}
    # "👍" says nothing: a conversation that starts in English stays English, one in Turkish Turkish.
    assert found["tr"].first == {"en": 0.5, "tr": 1.0}
    assert found["tr"].first_missed == ["👍"]
    assert found["tr"].below_target() == ["short", "first from en"]


def test_render_flags_figures_below_target() -> None:
    good = LanguageFigures("so", 1.0, 1.0, {"en": 1.0, "tr": 1.0}, [])
    bad = LanguageFigures("tr", 1.0, 1.0, {"en": 0.5, "tr": 1.0}, ["👍"])
    text = render([good, bad], "set")
    lines = text.splitlines()
    assert "target" not in next(line for line in lines if line.startswith("so "))
    assert "< target: first from en" in next(line for line in lines if line.startswith("tr "))
    assert "[tr] first messages missed: 👍" in text


def test_the_measure_meets_its_targets() -> None:
    found = figures()
    assert [f.language for f in found] == list(LANGUAGES)
    assert all(not f.below_target() for f in found), render(found)


def test_make_eval_prints_the_language_figures_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(evaluation, "model_file", lambda _dir: tmp_path / "missing.tar.gz")
    assert evaluation.main([]) == 2
    assert "first/en" in capsys.readouterr().out


def test_make_eval_fails_when_first_messages_fall_below_target(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    monkeypatch.setattr(evaluation, "model_file", lambda _dir: model)
    reports = [evaluation.Report(lang, 10, 1.0, 1.0, {"greet": 1.0}, []) for lang in LANGUAGES]
    monkeypatch.setattr(evaluation, "evaluate", lambda _model: reports)
    weak = [LanguageFigures("so", 1.0, 1.0, {"en": 0.4, "tr": 1.0}, ["salaan"])]
    monkeypatch.setattr(language_evaluation, "figures", lambda: weak)
    assert evaluation.main([]) == 1
