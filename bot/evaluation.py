"""`make eval`: per-language accuracy, macro-F1 and confusions of the trained NLU model on held-out
messages, after the language figures (bot/language_evaluation.py: standalone and first-message
accuracy of language identification)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot import language_evaluation
from bot.core import LANGUAGES
from bot.settings import PROJECT_ROOT, get_settings
from bot.text import normalise
from bot.training import model_file, plain_text, rasa_env, read_examples

EVAL_DIR = PROJECT_ROOT / "tests" / "nlu_eval"
RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
PARSER = PROJECT_ROOT / "scripts" / "rasa_eval.py"
THRESHOLD = 0.90


@dataclass(frozen=True)
class Report:
    """How one language scored."""

    language: str
    total: int
    accuracy: float
    macro_f1: float
    per_intent: dict[str, float]
    confusions: list[tuple[str, str, int]]


def score(language: str, gold: Sequence[str], predicted: Sequence[str]) -> Report:
    """Accuracy, macro-F1 over the gold intents, and the most frequent confusions."""
    pairs = list(zip(gold, predicted, strict=True))
    correct = sum(g == p for g, p in pairs)
    per_intent: dict[str, float] = {}
    for intent in sorted(set(gold)):
        tp = sum(g == intent and p == intent for g, p in pairs)
        fp = sum(g != intent and p == intent for g, p in pairs)
        fn = sum(g == intent and p != intent for g, p in pairs)
        per_intent[intent] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    confused = Counter((g, p) for g, p in pairs if g != p)
    return Report(
        language,
        len(pairs),
        correct / len(pairs) if pairs else 0.0,
        sum(per_intent.values()) / len(per_intent) if per_intent else 0.0,
        per_intent,
        [(g, p, n) for (g, p), n in confused.most_common(8)],
    )


def parse(texts: list[str], model: Path) -> list[dict[str, object]]:
    """Parse texts with the model in .venv-rasa (loaded once), via scripts/rasa_eval.py."""
    completed = subprocess.run(
        [str(RASA_PYTHON), str(PARSER), str(model)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=rasa_env(),
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-4000:])
        raise RuntimeError(f"scripts/rasa_eval.py failed with exit code {completed.returncode}")
    results = json.loads(completed.stdout)
    if not isinstance(results, list):
        raise RuntimeError("scripts/rasa_eval.py returned no list")
    return results


def evaluate(
    model: Path, languages: Iterable[str] = LANGUAGES, eval_dir: Path = EVAL_DIR
) -> list[Report]:
    """Score every language's held-out file; one model load for all of them."""
    cases: list[tuple[str, str, str]] = []
    for language in languages:
        path = eval_dir / f"{language}.yml"
        if path.is_file():
            for intent, example in read_examples(path):
                cases.append((language, intent, normalise(plain_text(example), language)))
    parses = parse([text for _, _, text in cases], model) if cases else []
    reports = []
    for language in languages:
        chosen = [(c, p) for c, p in zip(cases, parses, strict=True) if c[0] == language]
        if chosen:
            gold = [c[1] for c, _ in chosen]
            predicted = [str(p.get("intent")) for _, p in chosen]
            reports.append(score(language, gold, predicted))
    return reports


def render(reports: Sequence[Report]) -> str:
    """The figures as a plain-text table, weakest intents and confusions under each language."""
    lines = ["language  messages  accuracy  macro-F1"]
    for r in reports:
        flag = "" if r.macro_f1 >= THRESHOLD else f"  < {THRESHOLD:.2f}"
        lines.append(f"{r.language:<9} {r.total:>8}  {r.accuracy:>8.3f}  {r.macro_f1:>8.3f}{flag}")
    for r in reports:
        lines.append(f"\n[{r.language}] weakest intents (F1): " + ", ".join(
            f"{i} {f:.2f}" for i, f in sorted(r.per_intent.items(), key=lambda x: x[1])[:5]
        ))  # fmt: skip
        for gold, predicted, count in r.confusions:
            lines.append(f"  {gold} -> {predicted}: {count}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the evaluation; exit 1 when any language is below the macro-F1 bar or a language
    figure below its target, 2 with no model."""
    languages = language_evaluation.figures()
    print(language_evaluation.render(languages) + "\n")
    model = model_file(get_settings().model_dir)
    if not model.is_file():
        print(f"No trained model at {model}: run `familyhub train` first.", file=sys.stderr)
        return 2
    reports = evaluate(model)
    print(render(reports))
    failing = [r.language for r in reports if r.macro_f1 < THRESHOLD]
    if failing or not reports:
        print(f"\nFAIL: macro-F1 below {THRESHOLD:.2f} in: {', '.join(failing) or 'no data'}")
        return 1
    missed = [
        f"{f.language} ({', '.join(f.below_target())})" for f in languages if f.below_target()
    ]
    if missed:
        print(f"\nFAIL: language identification below target in: {', '.join(missed)}")
        return 1
    print(f"\nOK: macro-F1 at least {THRESHOLD:.2f} in every language.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
