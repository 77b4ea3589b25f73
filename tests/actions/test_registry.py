"""The action server serves exactly the custom actions the domain declares."""

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import BOT_DIR


def declared_actions() -> set[str]:
    found: set[str] = set()
    for path in sorted(Path(BOT_DIR / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.update(data.get("actions") or [])
    return found


def test_registered_actions_match_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    assert set(executor.actions) == declared_actions()
