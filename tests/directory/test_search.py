"""Search: filters, free text in three languages, Turkish folding, and ordering."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.directory import Directory
from tests.directory.conftest import HEADER, LONDON, load_text, service

MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)


def sample() -> Directory:
    return load_text(
        HEADER
        + service(
            "massage",
            "Baby Massage",
            extra_names=", tr: Bebek Masajı, so: Duugista Ilmaha",
            tags="baby_massage",
            sessions=('{day: thursday, start: "10:00", end: "11:00"}',),
        )
        + service(
            "play-north",
            "Stay and Play",
            tags="stay_and_play",
            sessions=('{day: wednesday, start: "10:00", end: "11:30"}',),
        )
        + service(
            "play-south",
            "Stay and Play South",
            tags="stay_and_play",
            languages="en, tr",
            location="hub-south",
            sessions=('{day: tuesday, start: "13:00", end: "14:30"}',),
        )
        + service(
            "somali-group",
            "Somali Parenting Group",
            extra_names=", so: Kooxda Waalidiinta",
            tags="parenting",
            languages="so, en",
            sessions=('{day: friday, start: "10:00", end: "12:00"}',),
        )
        + service(
            "ışık",
            "Işık Grubu",
            description="Türkçe konuşan aileler için İSTANBUL usulü buluşma",
            languages="tr",
            sessions=('{day: monday, start: "09:30", end: "10:30"}',),
        ).replace("id: ışık", "id: isik")
        + service("closed", "Closed group").replace(
            "    access:", "    status: inactive\n    access:"
        )
    )


def ids(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.service.id for r in results]


def test_filters() -> None:
    directory = sample()
    assert ids(directory.search(tags=["stay_and_play"], now=MONDAY_9)) == [
        "play-south",
        "play-north",
    ]
    assert ids(directory.search(language="so", now=MONDAY_9)) == ["somali-group"]
    assert ids(directory.search(day="thursday", now=MONDAY_9)) == ["massage"]
    assert ids(directory.search(day=3, now=MONDAY_9)) == ["massage"]
    assert ids(directory.search(area="Angel", now=MONDAY_9)) == ["play-south"]
    assert ids(directory.search(area="n1 7zz", now=MONDAY_9)) == ["play-south"]
    assert ids(directory.search(category="crisis")) == []


def test_inactive_services_are_never_found_but_can_be_fetched() -> None:
    directory = sample()
    assert "closed" not in ids(directory.search(now=MONDAY_9))
    assert directory.get("closed") is not None
    assert directory.get("nope") is None


def test_free_text_in_any_language() -> None:
    directory = sample()
    assert ids(directory.search("baby massage", now=MONDAY_9)) == ["massage"]
    assert ids(directory.search("bebek masajı", now=MONDAY_9)) == ["massage"]
    assert ids(directory.search("duugista", now=MONDAY_9)) == ["massage"]
    assert ids(directory.search("Waalidiinta", now=MONDAY_9)) == ["somali-group"]


def test_turkish_folding() -> None:
    directory = sample()
    for query in ("BEBEK MASAJI", "bebek masaji", "Masajı", "MASAJ"):
        assert ids(directory.search(query, now=MONDAY_9)) == ["massage"], query
    for query in ("ışık", "IŞIK", "isik", "ISIK", "istanbul", "İSTANBUL", "türkçe", "turkce"):
        assert ids(directory.search(query, now=MONDAY_9)) == ["isik"], query


def test_words_that_match_nothing_are_ignored_but_all_meaningful_ones_must_match() -> None:
    directory = sample()
    assert ids(directory.search("please find me a baby massage near me", now=MONDAY_9)) == [
        "massage"
    ]
    assert ids(directory.search("zzzz", now=MONDAY_9)) == []
    assert ids(directory.search("massage parenting", now=MONDAY_9)) == []


def test_parent_language_first_then_soonest_then_name() -> None:
    directory = sample()
    # Monday 09:00: the Turkish group runs at 09:30, the Somali group not until Friday.
    english = directory.search(now=MONDAY_9)
    assert ids(english) == ["play-south", "play-north", "massage", "somali-group", "isik"]
    assert [r.in_parent_language for r in english] == [True, True, True, True, False]
    turkish = directory.search(parent_language="tr", now=MONDAY_9)
    assert ids(turkish) == ["isik", "play-south", "play-north", "massage", "somali-group"]
    somali = directory.search(parent_language="so", now=MONDAY_9, limit=2)
    assert ids(somali) == ["somali-group", "isik"]


def test_results_carry_the_next_session_in_london_time() -> None:
    [result] = sample().search("massage", now=MONDAY_9)
    assert result.next_session == datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)
    assert result.next_session is not None
    assert result.next_session.utcoffset() == timedelta(0)


def test_services_without_a_place_pass_the_area_filter() -> None:
    text = HEADER + service("line", "Helpline").replace("    locations: [hub-north]\n", "")
    assert ids(load_text(text).search(area="Holloway")) == ["line"]


def test_text_helper_falls_back_to_english() -> None:
    massage = sample().get("massage")
    assert massage is not None
    assert massage.text("name", "tr") == "Bebek Masajı"
    assert massage.text("description", "tr") == "Play and songs"
    assert massage.text("application_process", "so") is None


def test_crisis_lines_and_hubs() -> None:
    crisis = """\
  - id: {id}
    name: {{en: "{id}"}}
    description: {{en: "x"}}
    category: crisis
    crisis_kind: [{kinds}]
    languages: [en]
    schedule: always
    access: [self_referral]
    contact: {{phone: "{phone}"}}
    last_reviewed: 2026-11-01
"""
    hub = service("hub", "North Hub", category="family_hub")
    directory = load_text(
        HEADER
        + hub
        + crisis.format(
            id="emergency", kinds="medical_emergency, domestic_abuse, general", phone="999"
        )
        + crisis.format(id="samaritans", kinds="suicide_self_harm, general", phone="116 123")
        + crisis.format(id="abuse", kinds="domestic_abuse", phone="0808 2000 247")
    )
    assert [s.id for s in directory.hubs()] == ["hub"]
    assert [s.id for s in directory.crisis_lines()] == ["emergency", "samaritans"]
    assert [s.id for s in directory.crisis_lines("domestic_abuse")] == ["emergency", "abuse"]
    assert [s.id for s in directory.crisis_lines("harm_to_baby")] == ["emergency", "samaritans"]
    assert directory.get("emergency").is_open_at(MONDAY_9)  # type: ignore[union-attr]


def test_results_carry_the_session_itself() -> None:
    [result] = sample().search("massage", now=MONDAY_9)
    assert result.session is not None
    assert (result.session.day, result.session.location) == (3, "hub-north")
    assert result.service.location_for(result.session.location).area == "Holloway"  # type: ignore[union-attr]
