"""Every kind of validation error, each reported at its own line and column."""

from __future__ import annotations

import pytest

from bot.directory import Problem
from bot.directory.values import did_you_mean
from tests.directory.conftest import HEADER, load_text, problems_of, service


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the nth line containing `needle`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[nth]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_file_has_no_problems() -> None:
    directory = load_text(HEADER + service("a") + service("b", location="hub-south"))
    assert [s.id for s in directory] == ["a", "b"]


def test_unknown_field_suggests_the_right_name() -> None:
    text = HEADER + service("a").replace("    description:", "    descripton:")
    problems = problems_of(text)
    unknown = next(p for p in problems if "unknown field" in p.message)
    assert unknown.line == line_of(text, "descripton")
    assert unknown.column == 5
    assert "did you mean 'description'?" in unknown.message
    missing = next(p for p in problems if "missing 'description'" in p.message)
    assert missing.line == line_of(text, "- id: a")


def test_missing_english_text() -> None:
    text = HEADER + service("a").replace('name: {en: "A group"}', "name: {so: Koox, tr: Grup}")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "name: {so: Koox")
    assert "no English text" in problem.message


def test_text_in_a_language_the_bot_does_not_use() -> None:
    text = HEADER + service("a", extra_names=", fr: Groupe")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "fr: Groupe")
    assert "'fr'" in problem.message and "en, so, tr" in problem.message


def test_plain_string_where_a_text_mapping_is_needed() -> None:
    text = HEADER + service("a").replace('name: {en: "A group"}', "name: A group")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "name: A group")
    assert "per language" in problem.message


def test_unknown_category_suggests() -> None:
    text = HEADER + service("a", category="groups")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "category: groups")
    assert problem.column == len("    category: ") + 1
    assert "did you mean 'group'?" in problem.message


def test_unknown_language_code_and_a_language_name_instead_of_a_code() -> None:
    text = HEADER + service("a", languages="en, somali, xq")
    problems = problems_of(text)
    assert [p.line for p in problems] == [line_of(text, "languages:")] * 2
    assert "for Somali write 'so'" in problems[0].message
    assert "'xq' is not a known language code" in problems[1].message


def test_other_real_languages_are_allowed_for_delivery() -> None:
    directory = load_text(HEADER + service("a", languages="ar, bn, ku, en"))
    assert directory.services[0].languages == ("ar", "bn", "ku", "en")


@pytest.mark.parametrize(
    ("session", "expected"),
    [
        ('{day: Munday, start: "10:00", end: "11:00"}', "did you mean 'monday'?"),
        ('{day: monday, start: "25:00", end: "26:00"}', "'25:00' is not a time of day"),
        ('{day: monday, start: "10am", end: "11:00"}', "HH:MM on the 24-hour clock"),
        (
            '{day: monday, start: "11:00", end: "10:00"}',
            "ends at 10:00, which is not after its start at 11:00",
        ),
        ('{day: monday, start: "11:00", end: "11:00"}', "not after its start"),
    ],
)
def test_bad_day_or_time_or_end_before_start(session: str, expected: str) -> None:
    text = HEADER + service("a", sessions=(session,))
    problems = problems_of(text)
    assert problems
    assert all(p.line == line_of(text, session) for p in problems)
    assert any(expected in p.message for p in problems), problems


def test_unquoted_times_are_read_as_written() -> None:
    directory = load_text(HEADER + service("a", sessions=("{day: Tue, start: 9:30, end: 10:15}",)))
    session = directory.services[0].schedule.sessions[0]
    assert (session.day, session.start.hour, session.start.minute, session.end.minute) == (
        1,
        9,
        30,
        15,
    )


def test_duplicate_id_names_the_first_line() -> None:
    text = HEADER + service("a") + service("a")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "- id: a", nth=1)
    assert f"first on line {line_of(text, '- id: a')}" in problem.message


def test_duplicate_field_in_one_entry() -> None:
    text = HEADER + service("a").replace(
        "    category: group\n", "    category: group\n    category: group\n"
    )
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "category: group", nth=1)
    assert "given twice" in problem.message


@pytest.mark.parametrize(
    ("contact", "needle", "expected"),
    [
        ("{phone: 020 7946 00}", "020 7946 00", "is not a UK phone number"),
        ("{phone: call us}", "call us", "is not a UK phone number"),
        ("{email: hub-at-example.org}", "hub-at-example.org", "is not an email address"),
        ("{url: www.example.org}", "www.example.org", "should start with https://"),
        ("{fax: 020 7946 0000}", "fax", "unknown field 'fax'"),
    ],
)
def test_malformed_contact_details(contact: str, needle: str, expected: str) -> None:
    text = HEADER + service("a").replace("    access:", f"    contact: {contact}\n    access:")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "contact:")
    assert problem.column == line_of_column(text, needle)
    assert expected in problem.message


def line_of_column(text: str, needle: str) -> int:
    line = next(line for line in text.splitlines() if needle in line)
    return line.index(needle.split(":")[0]) + 1


@pytest.mark.parametrize(
    "number", ["999", "111", "116 123", "85258", "0808 2000 247", "+44 20 7946 0000", "0800 1111"]
)
def test_real_numbers_are_accepted(number: str) -> None:
    load_text(
        HEADER
        + service("a").replace("    access:", f'    contact: {{phone: "{number}"}}\n    access:')
    )


def test_reference_to_a_location_that_does_not_exist() -> None:
    text = HEADER + service("a", location="hub-nort")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "locations: [hub-nort]")
    assert "location 'hub-nort', which does not exist; did you mean 'hub-north'?" in problem.message


def test_session_at_an_unknown_location() -> None:
    session = '{day: monday, start: "10:00", end: "11:00", location: library}'
    text = HEADER + service("a", sessions=(session,))
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "location: library")
    assert "does not exist" in problem.message


def test_session_location_needed_when_a_service_has_two() -> None:
    text = HEADER + service("a").replace("[hub-north]", "[hub-north, hub-south]")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "{day: monday")
    assert "needs 'location:'" in problem.message


def test_a_location_with_its_own_problem_is_not_also_reported_missing() -> None:
    text = HEADER.replace("N7 6AA", "N7 6A") + service("a")
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "N7 6A")
    assert "not a UK postcode" in problem.message


def test_crisis_lines_need_a_kind_and_a_number() -> None:
    text = HEADER + service("line", category="crisis")
    problems = problems_of(text)
    assert {p.line for p in problems} == {line_of(text, "- id: line")}
    assert any("needs crisis_kind" in p.message for p in problems)
    assert any("no contact phone or sms" in p.message for p in problems)


def test_crisis_kind_only_on_crisis_lines_and_from_the_list() -> None:
    text = HEADER + service("a").replace("    access:", "    crisis_kind: [general]\n    access:")
    assert "only for services in the crisis category" in only(problems_of(text)).message
    crisis = service("b", category="crisis").replace(
        "    access:",
        '    crisis_kind: [suicide_self_ham]\n    contact: {phone: "999"}\n    access:',
    )
    problem = only(problems_of(HEADER + crisis))
    assert "did you mean 'suicide_self_harm'?" in problem.message


def test_bad_id_date_and_empty_required_value() -> None:
    text = (HEADER + service("Stay and Play")).replace(
        "last_reviewed: 2026-11-01", "last_reviewed: 2026-13-01"
    )
    text = text.replace("    access: [drop_in]", "    access:")
    problems = problems_of(text)
    messages = " | ".join(p.message for p in problems)
    assert "e.g. 'stay-and-play'" in messages
    assert "is not a date; write it as YYYY-MM-DD" in messages
    assert "'access' in service 'Stay and Play' is empty" in messages
    assert sorted(p.line for p in problems) == [
        line_of(text, "- id: Stay"),
        line_of(text, "access:"),
        line_of(text, "last_reviewed"),
    ]


def test_all_problems_are_reported_in_line_order() -> None:
    text = HEADER + service("a", category="grup") + service("b", languages="english")
    problems = problems_of(text)
    assert len(problems) == 2
    assert problems == sorted(problems)
    assert (
        problems[0]
        .format("services_directory.yaml")
        .startswith(f"services_directory.yaml:{line_of(text, 'category: grup')}:15: ")
    )


def test_unknown_top_level_section() -> None:
    text = HEADER.replace("locations:", "location:")
    problems = problems_of(text + service("a"))
    assert any(
        "unknown field 'location' in the file; did you mean 'locations'?" in p.message
        for p in problems
    )


def test_every_problem_is_one_line() -> None:
    text = HEADER + service("a").replace("category: group", "category: |\n      group\n      extra")
    problem = only(problems_of(text))
    assert "\n" not in problem.format("services_directory.yaml")
    assert problem.line == line_of(text, "category: |")


def test_reference_to_an_organization_that_does_not_exist() -> None:
    text = HEADER + service("a").replace(
        "    access:", "    organization: manor-gardens\n    access:"
    )
    problem = only(problems_of(text))
    assert problem.line == line_of(text, "organization: manor-gardens")
    assert "organization 'manor-gardens', which does not exist" in problem.message


def test_did_you_mean_looks_past_a_shared_start() -> None:
    # Ids share "hub-": that alone must not suggest an unrelated one.
    assert did_you_mean("hub-nort", ["hub-a", "hub-b"]) == ""
    assert did_you_mean("hub-nort", ["hub-a", "hub-north-islington"]) == (
        "; did you mean 'hub-north-islington'?"
    )
    assert did_you_mean("mondya", ["monday", "tuesday"]) == "; did you mean 'monday'?"
