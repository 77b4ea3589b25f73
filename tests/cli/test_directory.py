"""`familyhub directory validate` and `familyhub directory coverage` through click."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from tests.directory.conftest import HEADER, service


def test_validate_ok(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a"))
    result = CliRunner().invoke(main, ["directory", "validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "services_directory.yaml is valid: 1 services, 2 locations" in result.output


def test_validate_prints_every_problem_and_fails(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a", category="grup") + service("a"))
    result = CliRunner().invoke(main, ["directory", "validate", str(path)])
    assert result.exit_code == 1
    lines = [
        line for line in result.stdout.splitlines() if line.startswith("services_directory.yaml:")
    ]
    assert len(lines) == 2
    assert lines[0].startswith("services_directory.yaml:17:15: category of service 'a'")
    assert "used twice (first on line 14)" in lines[1]
    assert "2 problems found" in result.stderr


def test_validate_reports_yaml_syntax_errors(write: Callable[[str], Path]) -> None:
    path = write("services:\n  - id: a\n    name: en: A\n")
    result = CliRunner().invoke(main, ["directory", "validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith("services_directory.yaml:3:")


def test_validate_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["directory", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code != 0
    assert "cannot open" in result.output


def test_coverage(write: Callable[[str], Path]) -> None:
    path = write(HEADER + service("a", extra_names=", so: Koox"))
    result = CliRunner().invoke(main, ["directory", "coverage", str(path)])
    assert result.exit_code == 0, result.output
    # Texts: service name + description, and 2 location names.
    assert "Somali (so): 50% translated (2 of 4 texts)" in result.output
    assert "Turkish (tr): 25% translated (1 of 4 texts)" in result.output
    assert "service a: missing description" in result.output
    assert "service a: missing name, description" in result.output
    assert "location hub-south: missing name" in result.output
