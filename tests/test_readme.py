import re
from pathlib import Path

from bot.settings import PROJECT_ROOT, settings_table

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_settings_table_matches_the_settings_module() -> None:
    block = README.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0].strip()
    assert block == settings_table(), (
        "run `python -m bot.settings` and paste the table into README.md"
    )


def test_env_example_names_every_setting() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", settings_table(), re.M))
    assert documented <= names


def test_readme_make_targets_exist() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z0-9-]+):", makefile, re.M))
    shown = set(re.findall(r"`make ([a-z0-9-]+)", README))
    assert shown <= targets, shown - targets


def test_readme_guides_exist() -> None:
    for guide in re.findall(r"\]\((docs/[a-z_]+\.md)\)", README):
        assert Path(PROJECT_ROOT / guide).exists(), guide
