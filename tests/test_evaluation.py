"""Scoring of bot.evaluation on hand-made gold and predicted intents (no Rasa)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import evaluation
from bot.evaluation import Report, read_examples, render, score


def test_perfect_predictions_score_one() -> None:
    report = score("en", ["greet", "goodbye", "greet"], ["greet", "goodbye", "greet"])
    assert report.total == 3
    assert report.accuracy == 1.0
    assert report.macro_f1 == 1.0
    assert report.confusions == []


def test_accuracy_and_macro_f1_by_hand() -> None:
    gold = ["greet", "greet", "crisis", "crisis"]
    predicted = ["greet", "crisis", "crisis", "crisis"]
    report = score("so", gold, predicted)
    assert report.accuracy == pytest.approx(0.75)
    # greet: tp 1, fn 1 -> 2/3; crisis: tp 2, fp 1 -> 4/5.
    assert report.per_intent == pytest.approx({"greet": 2 / 3, "crisis": 0.8})
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)


def test_macro_f1_averages_only_gold_intents() -> None:
    report = score("tr", ["greet", "thanks"], ["greet", "nlu_fallback"])
    assert set(report.per_intent) == {"greet", "thanks"}
    assert report.per_intent["thanks"] == 0.0
    assert report.macro_f1 == pytest.approx(0.5)


def test_confusions_are_counted_and_most_frequent_first() -> None:
    gold = ["crisis", "crisis", "crisis", "goodbye", "help"]
    predicted = ["mental_health", "mental_health", "crisis", "crisis", "help"]
    report = score("en", gold, predicted)
    assert report.confusions == [("crisis", "mental_health", 2), ("goodbye", "crisis", 1)]


def test_empty_input_scores_zero() -> None:
    report = score("en", [], [])
    assert (report.total, report.accuracy, report.macro_f1) == (0, 0.0, 0.0)


def test_mismatched_lengths_are_an_error() -> None:
    with pytest.raises(ValueError):
        score("en", ["greet"], [])


def test_render_flags_a_language_below_the_bar() -> None:
    good = score("en", ["greet"], ["greet"])
    bad = score("so", ["greet", "thanks"], ["greet", "greet"])
    text = render([good, bad])
    lines = text.splitlines()
    assert "<" not in next(line for line in lines if line.startswith("en "))
    assert f"< {evaluation.THRESHOLD:.2f}" in next(line for line in lines if line.startswith("so "))
    assert "thanks -> greet: 1" in text


def test_read_examples_keeps_annotations_and_skips_other_blocks(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: choose_language\n  examples: |\n'
        "    - [somali](language) please\n    - switch language\n"
        "- synonym: so\n  examples: |\n    - soomaali\n",
        encoding="utf-8",
    )
    assert read_examples(path) == [
        ("choose_language", "[somali](language) please"),
        ("choose_language", "switch language"),
    ]


def _fake_reports(scores: dict[str, float]) -> list[Report]:
    return [Report(lang, 10, f, f, {"greet": f}, []) for lang, f in scores.items()]


@pytest.mark.parametrize(
    ("scores", "code"),
    [
        ({"en": 0.95, "so": 0.90, "tr": 0.99}, 0),
        ({"en": 0.95, "so": 0.89, "tr": 0.99}, 1),
        ({}, 1),
    ],
)
def test_main_exits_one_when_a_language_is_below_the_bar(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scores: dict[str, float], code: int
) -> None:
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    monkeypatch.setattr(evaluation, "model_file", lambda _dir: model)
    monkeypatch.setattr(evaluation, "evaluate", lambda _model: _fake_reports(scores))
    assert evaluation.main([]) == code


def test_main_exits_two_without_a_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(evaluation, "model_file", lambda _dir: tmp_path / "missing.tar.gz")
    assert evaluation.main([]) == 2
