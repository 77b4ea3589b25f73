"""YAML syntax errors come back as one plain line at the right place."""

from __future__ import annotations

import pytest

from tests.directory.conftest import LONDON, problems_of


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("services:\n  - id: a\n    name: en: A\n", 3, "colon (:)"),
        ("services:\n  - id: a\n\tname: x\n", 3, "tab"),
        ('services:\n  - id: a\n    name: {en: "A: b}\n', 4, "never closed"),
        ("services:\n  - id: a\n    languages: [en, so\n", 4, "not closed"),
        ("services:\n  - id: a\n    name: x\n   category: y\n", 4, "indentation"),
    ],
)
def test_syntax_errors(text: str, line: int, expected: str) -> None:
    [problem] = problems_of(text)
    assert problem.line == line
    assert problem.message.startswith("the file is not valid YAML here")
    assert expected in problem.message


def test_empty_file() -> None:
    [problem] = problems_of("# only a comment\n")
    assert problem.message == "the file is empty"


def test_file_that_is_not_utf8() -> None:
    from bot.directory import check_bytes

    _, [problem] = check_bytes(b"services:\n  - id: caf\xe9\n", LONDON)
    assert problem.line == 2
    assert "UTF-8" in problem.message


def test_a_list_at_the_top_instead_of_sections() -> None:
    [problem] = problems_of("- id: a\n")
    assert "should be a set of `field: value` lines" in problem.message
