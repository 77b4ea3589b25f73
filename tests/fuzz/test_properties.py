"""Hypothesis against what reads untrusted input: the directory loader, the crisis screen's
phrase normalisation, and the payload parser. Each either answers or reports a problem in its
own terms; none may crash. (`make bench` runs these with HYPOTHESIS_PROFILE=deep.)"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from bot.directory.loader import check_bytes
from bot.gateway import payloads
from bot.safety import screen
from bot.safety.normalisation import collapse, keyed, spaced
from bot.settings import PROJECT_ROOT

ZONE = ZoneInfo("Europe/London")
LANGUAGES = st.sampled_from([None, "en", "so", "tr"])
# Text with the characters parents type: any Unicode, Turkish and Somali letters, apostrophes,
# combining marks, emoji, controls and whitespace runs.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list("İIıiŞşĞğÇçÖöÜü’‘ʼ`´′'\u0301\u200d\u00a0\t\n  ")),
    ),
    max_size=300,
)


@lru_cache(maxsize=1)
def sample_directory() -> bytes:
    return (PROJECT_ROOT / "services_directory.yaml").read_bytes()


def loads_or_reports(data: bytes) -> None:
    directory, problems = check_bytes(data, ZONE)
    assert (directory is None) == bool(problems) or directory is not None
    if directory is None:
        assert problems and all(str(problem) for problem in problems)


@given(st.binary(max_size=2000))
@example(b"\xff\xfe")
@example(b"version: 1\nservices: [&a [*a]]")
@example(b"a: &a [*a, *a, *a]\nb: [*a, *a, *a, *a]")
def test_the_directory_loader_never_crashes_on_bytes(data: bytes) -> None:
    loads_or_reports(data)


YAML_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=30,
)
FIELDS = st.sampled_from(
    ["id", "name", "category", "languages", "schedule", "location", "organization", "phone",
     "url", "description", "crisis", "en", "so", "tr", "days", "start", "end", "postcode"]
)  # fmt: skip


@given(
    st.fixed_dictionaries(
        {"version": st.sampled_from([1, 2, "1", None])},
        optional={
            "organizations": st.lists(st.dictionaries(FIELDS, YAML_VALUE, max_size=6), max_size=3),
            "locations": st.lists(st.dictionaries(FIELDS, YAML_VALUE, max_size=6), max_size=3),
            "services": st.lists(st.dictionaries(FIELDS, YAML_VALUE, max_size=8), max_size=4),
        },
    )
)
def test_the_directory_loader_reports_any_shape_of_document(document: dict[str, object]) -> None:
    loads_or_reports(yaml.safe_dump(document, allow_unicode=True).encode())


@given(st.data())
def test_the_directory_loader_reports_a_damaged_sample_file(data: st.DataObject) -> None:
    lines = sample_directory().decode().splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines) - 1))
        change = data.draw(st.sampled_from(["drop", "indent", "garble", "duplicate"]))
        if change == "drop":
            del lines[at]
        elif change == "indent":
            lines[at] = " " + lines[at]
        elif change == "duplicate":
            lines.insert(at, lines[at])
        else:
            lines[at] = data.draw(st.text(max_size=30)) + "\n"
    loads_or_reports("".join(lines).encode())


@given(TEXT, LANGUAGES)
def test_phrase_normalisation_gives_plain_spaced_text(text: str, language: str | None) -> None:
    found = keyed(text, language)
    assert isinstance(found, str)
    assert found == found.strip() and "  " not in found
    assert not re.search(r"\s", found.replace(" ", ""))
    # Spacing is already done: doing it again changes nothing.
    assert spaced(spaced(text)) == spaced(text)
    assert collapse(collapse(found)) == collapse(found)


@given(TEXT)
def test_case_and_accents_never_change_the_folded_form(text: str) -> None:
    assert spaced(text.upper()) == spaced(text.upper().lower().upper())


@given(TEXT, LANGUAGES)
def test_the_screen_reads_any_text(text: str, language: str | None) -> None:
    found = screen(text * 3, language)
    assert found is None or found.kind


INTENT = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True)
ENTITY_VALUE = st.one_of(st.text(max_size=20), st.integers(), st.booleans())


@given(INTENT, st.dictionaries(st.text(max_size=10), ENTITY_VALUE, max_size=3))
def test_a_well_formed_payload_reads_back(intent: str, entities: dict[str, object]) -> None:
    raw = f"/{intent}" + (json.dumps(entities) if entities else "")
    parsed = payloads.parse(raw)
    if len(raw) > payloads.MAX_PAYLOAD_CHARS:
        assert parsed is None
        return
    assert parsed is not None and parsed.intent == intent
    assert set(parsed.entities) == set(entities)
    assert all(isinstance(value, str) for value in parsed.entities.values())


@given(st.one_of(TEXT, st.text(alphabet='/{}[]":,a_ 0-9\\', max_size=120)), st.booleans())
@example("/" + "{" * 500, True)
@example('/intent{"a": {"b": 1}}', False)
def test_any_payload_or_command_is_read_or_refused_never_a_crash(raw: str, typed: bool) -> None:
    parsed = payloads.read(raw, typed=typed, known=lambda intent: intent == "greet")
    if parsed is not None:
        assert re.fullmatch(r"[A-Za-z0-9_]+", parsed.intent)
        assert all(isinstance(value, str) for value in parsed.entities.values())
