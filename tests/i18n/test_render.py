"""render_response: domain responses, service and hub cards, fallbacks, in every language."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.directory import live
from bot.i18n import translate
from bot.i18n.render import choose_language, render_messages, render_response
from bot.settings import Settings
from tests.i18n.conftest import DATA, MONDAY_MORNING

SHAPE = {"text", "buttons", "image", "elements", "attachments", "custom"}


def card(service_id: str, language: str, **arguments: object) -> str:
    arguments = {"service_id": service_id, **arguments}
    message = render_response("utter_service_card", language, arguments, {}, now=MONDAY_MORNING)
    assert set(message) == SHAPE
    return str(message["text"])


@pytest.mark.parametrize(
    ("language", "day_time", "name", "languages"),
    [
        ("so", "Talaado 10:30", "Kooxda Waalidiinta Soomaalida", "Soomaali iyo Ingiriisi"),
        ("tr", "Salı 10:30", "Somalili Ebeveyn Grubu", "Somalice ve İngilizce"),
        ("en", "Tuesday 10:30", "Somali Parents Group", "Somali and English"),
    ],
)
def test_service_card_in_each_language(
    directory: object, language: str, day_time: str, name: str, languages: str
) -> None:
    text = card("somali-group", language)
    assert text.splitlines()[0] == name
    assert translate(language, "Next session: {day_time}", day_time=day_time) in text
    assert translate(language, "Languages: {languages}", languages=languages) in text
    assert "1 Test Street, London, N7 6AA" in text
    assert translate(language, "Just come along, no need to book.") in text
    assert "020 7946 0105" in text


def test_cards_keep_the_time_of_timezone(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TIMEZONE is the clock of the directory's schedules and of the times cards show."""
    tuesday_0800_utc = MONDAY_MORNING + timedelta(days=1)
    monkeypatch.setattr(live, "_live", None)
    live.set_directory_path(DATA / "directory.yaml", settings.zone, reload_seconds=0)
    london = render_response(
        "utter_service_card", "en", {"service_id": "somali-group"}, {}, now=tuesday_0800_utc
    )
    assert "Next session: Tuesday 10:30" in london["text"]  # 08:00 in London
    live.set_directory_path(DATA / "directory.yaml", ZoneInfo("Europe/Istanbul"), reload_seconds=0)
    istanbul = render_response(
        "utter_service_card", "en", {"service_id": "somali-group"}, {}, now=tuesday_0800_utc
    )
    assert "On now, until 12:00" in istanbul["text"]  # 11:00 in Istanbul


def test_service_card_labels_are_translated(directory: object) -> None:
    assert "Next session" in card("somali-group", "en")
    assert "Next session" not in card("somali-group", "so")
    assert "Next session" not in card("somali-group", "tr")


def test_service_text_falls_back_to_english_when_untranslated(directory: object) -> None:
    text = card("somali-group", "tr")
    assert "Meet other parents and share tea." in text


def test_service_by_appointment_shows_how_to_join_and_organisation_contact(
    directory: object,
) -> None:
    text = card("mentors", "tr")
    assert translate("tr", "By appointment") in text
    assert translate("tr", "Ask your midwife to refer you.") in text
    assert translate("tr", "Area: {area}", area="Borough-wide") in text
    assert "020 7946 0100" in text


def test_unknown_service_gives_a_polite_text(directory: object) -> None:
    text = card("no-such-service", "so")
    assert text == translate(
        "so", "Sorry, I cannot show this service right now. Please try again later."
    )


def test_service_card_with_a_broken_directory(broken_directory: object) -> None:
    text = card("somali-group", "tr")
    assert text == translate(
        "tr", "Sorry, I cannot show this service right now. Please try again later."
    )


def test_hub_card_says_whether_open_today_and_the_hours(directory: object) -> None:
    message = render_response(
        "utter_hub_card", "tr", {"hub_id": "hub-test"}, {}, now=MONDAY_MORNING
    )
    text = message["text"]
    assert translate("tr", "Open today: {hours}", hours="09:00–17:00") in text
    assert "Pazartesi–Çarşamba 09:00–17:00" in text
    assert "Cumartesi 10:00–13:00" in text
    assert "Kütüphanenin yanında." in text


def test_hub_card_without_an_id_lists_every_hub(directory: object) -> None:
    text = render_response("utter_hub_card", "so", {}, {}, now=MONDAY_MORNING)["text"]
    assert text.startswith("Xarunta Qoysaska Test")


def test_hub_card_when_closed(directory: object) -> None:
    thursday = MONDAY_MORNING.replace(day=3, month=12)
    text = render_response("utter_hub_card", "en", {"hub_id": "hub-test"}, {}, now=thursday)["text"]
    assert "Closed now. Next open: Saturday 10:00" in text


def test_domain_response_text_and_buttons_are_translated(
    test_domain: None, test_catalogs: None
) -> None:
    message = render_response("utter_hello", "so", {"name": "Amina", "who": "Hodan"}, {})
    assert set(message) == SHAPE
    assert message["text"] == "Salaan Amina, soo dhawoow!"
    assert message["buttons"] == [
        {"title": "Kooxaha iga dhow", "payload": "/find_groups"},
        {"title": "La hadal Hodan", "payload": "/talk_to_human"},
    ]


def test_placeholders_come_from_arguments_then_slots(
    test_domain: None, test_catalogs: None
) -> None:
    from_slot = render_response("utter_hello", "tr", {}, {"name": "Ayşe", "who": None})
    assert from_slot["text"] == "Merhaba Ayşe, hoş geldiniz!"
    both = render_response("utter_hello", "tr", {"name": "Zeynep"}, {"name": "Ayşe"})
    assert both["text"] == "Merhaba Zeynep, hoş geldiniz!"


def test_missing_placeholder_leaves_a_safe_text(
    test_domain: None, test_catalogs: None, caplog: pytest.LogCaptureFixture
) -> None:
    message = render_response("utter_hello", "en", {}, {})
    assert message["text"] == "Hello, welcome!"
    assert "{" not in message["text"] and "{" not in message["buttons"][1]["title"]
    assert "missing placeholders" in caplog.text


def test_unknown_response_gives_an_english_generic_text(test_domain: None) -> None:
    message = render_response("utter_does_not_exist", "so", {}, {})
    assert set(message) == SHAPE
    assert message["text"].startswith("Sorry, something went wrong")


def test_variation_choice_is_deterministic(test_domain: None) -> None:
    texts = {render_response("utter_two", "en", {"n": 1}, {})["text"] for _ in range(5)}
    assert len(texts) == 1
    seen = {render_response("utter_two", "en", {"n": n}, {})["text"] for n in range(20)}
    assert seen == {"First way", "Second way"}


def test_conditional_variation_follows_slots(test_domain: None) -> None:
    assert render_response("utter_mode", "en", {}, {"mode": "quiet"})["text"] == "Quiet mode"
    assert render_response("utter_mode", "en", {}, {"mode": "loud"})["text"] == "Normal mode"


def test_language_argument_wins_over_slot(test_domain: None, test_catalogs: None) -> None:
    assert choose_language({"language": "tr"}, {"language": "so"}) == "tr"
    assert choose_language({}, {"language": "so"}) == "so"
    assert choose_language({}, {}) == "en"
    message = render_response(
        "utter_hello", None, {"language": "tr", "name": "A"}, {"language": "so"}
    )
    assert message["text"] == "Merhaba A, hoş geldiniz!"
    message = render_response("utter_hello", None, {"name": "A"}, {"language": "so"})
    assert message["text"] == "Salaan A, soo dhawoow!"


def test_crisis_response_renders_every_message(directory: object) -> None:
    messages = render_messages("utter_crisis", "so", {"crisis_kind": "domestic_abuse"}, {})
    assert len(messages) == 2
    joined = render_response("utter_crisis", "so", {"crisis_kind": "domestic_abuse"}, {})
    assert "999" in joined["text"] and "0808 2000 247" in joined["text"]


def test_button_payloads_are_filled_but_json_payloads_kept(test_domain: None) -> None:
    more = '/find_groups{"page": "2"}'
    buttons = render_response("utter_more", "en", {"payload": more}, {})["buttons"]
    assert buttons == [
        {"title": "Show more", "payload": more},
        {"title": "Somali", "payload": '/choose_language{"language": "so"}'},
    ]
