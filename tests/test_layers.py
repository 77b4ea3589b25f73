"""Every module of bot/ sits in a named layer of the import contract (pyproject.toml), which
`make lint` checks with import-linter (docs/internals.md#layers)."""

from __future__ import annotations

import pkgutil
import re
import tomllib

import bot
from bot.settings import PROJECT_ROOT

CONTRACTS = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]


def layered() -> list[str]:
    """The modules named in the layers, top layer first."""
    [layers] = [c["layers"] for c in CONTRACTS if c["type"] == "layers"]
    return [name for layer in layers for name in re.split(r"[|:]", layer) if name.strip()]


def test_every_module_of_bot_sits_in_a_layer_or_is_the_actions() -> None:
    named = {name.strip() for name in layered()} | {"bot.actions"}
    found = {f"bot.{module.name}" for module in pkgutil.iter_modules(bot.__path__)}
    assert found - named == set(), "put each new module of bot/ in a layer in pyproject.toml"
    assert named - found == set(), "the contract names a module that does not exist"


def test_the_plain_types_are_the_bottom_layer_and_the_commands_the_top() -> None:
    names = [name.strip() for name in layered()]
    assert names[-1] == "bot.core" and names[0] == "bot.cli"
