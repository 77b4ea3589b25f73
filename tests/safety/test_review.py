"""The clinical review register covers every crisis text and phrase list, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.i18n import crisis
from bot.safety.review import ReviewRegisterError, load_register, share_approved
from bot.settings import BOT_DIR

SAFETY_RESPONSES = (
    "utter_crisis_check",
    "utter_crisis_check_other",
    "utter_ask_safe",
    "utter_ask_safe_other",
)


def crisis_msgids() -> set[str]:
    """Every English text of the crisis reply and of the gentle check."""
    found = {crisis.OPENING, crisis.OPENING_OTHER, crisis.OPENING_PSYCHOSIS, crisis.TEAM}
    found |= {crisis.OPENING_PSYCHOSIS_OTHER, *crisis.TEMPLATES.values()}
    for path in (BOT_DIR / "domain").glob("*.yml"):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name in SAFETY_RESPONSES:
            for variation in responses.get(name) or []:
                found.add(variation["text"])
                found |= {button["title"] for button in variation.get("buttons") or []}
    return found


def test_every_crisis_text_has_a_clinical_review_entry_and_no_entry_is_stale() -> None:
    listed = {item.what for item in load_register() if not item.id.startswith("phrases-")}
    assert listed == crisis_msgids()


def test_every_phrase_list_has_an_entry() -> None:
    lists = {item.id for item in load_register() if item.id.startswith("phrases-")}
    assert lists == {f"phrases-{p.stem}" for p in (BOT_DIR / "safety" / "phrases").glob("*.yml")}


def test_nothing_is_approved_yet_and_the_share_says_so() -> None:
    """No clinician has reviewed anything: the register must not claim otherwise."""
    items = load_register()
    assert all(share_approved(items, language) == 0.0 for language in ("en", "so", "tr"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crisis_texts:\n  - {id: a, what: b, en: {status: done}}", "needs a status"),
        (
            "crisis_texts:\n  - {id: a, what: b, en: {status: approved}, so: {status: draft}, tr: {status: draft}}",
            "names its reviewer and date",
        ),
        ("phrase_lists:\n  - {id: a, what: b, language: xx, xx: {status: draft}}", "language"),
        (
            "phrase_lists:\n  - {id: a, what: b, language: en, en: {status: draft}}\n"
            "  - {id: a, what: c, language: so, so: {status: draft}}",
            "twice",
        ),
    ],
)
def test_a_malformed_register_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "review.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewRegisterError, match=message):
        load_register(path)


def test_the_safety_case_shows_the_register_as_it_is() -> None:
    from bot.safety.review import markdown_table
    from bot.settings import PROJECT_ROOT

    text = (PROJECT_ROOT / "docs" / "safety-case.md").read_text(encoding="utf-8")
    shown = text.split("<!-- register:start -->\n")[1].split("<!-- register:end -->")[0]
    assert shown.strip() == markdown_table(load_register()).strip(), (
        "run `python -m bot.safety.review` and paste the table into docs/safety-case.md"
    )
