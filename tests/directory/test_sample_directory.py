"""The shipped services_directory.yaml is valid and holds what the issue asks for."""

from __future__ import annotations

from datetime import datetime

from bot.directory import check_bytes, load_directory
from bot.settings import PROJECT_ROOT
from tests.directory.conftest import LONDON

SHIPPED = PROJECT_ROOT / "services_directory.yaml"


def test_shipped_directory_validates_clean() -> None:
    directory = load_directory(SHIPPED, LONDON)
    assert len(directory) >= 20


def test_real_national_numbers() -> None:
    directory = load_directory(SHIPPED, LONDON)
    phones = {s.contact.phone for s in directory.crisis_lines()} | {
        s.contact.phone for s in directory.crisis_lines("domestic_abuse")
    }
    assert {"999", "111", "116 123", "0808 2000 247"} <= phones
    shout = directory.get("shout")
    assert shout is not None and (shout.contact.sms, shout.contact.sms_keyword) == (
        "85258",
        "SHOUT",
    )
    nhs_111 = directory.get("nhs-111-mental-health")
    assert nhs_111 is not None and nhs_111.contact.phone_option == "2"
    pandas = directory.get("pandas-helpline")
    assert pandas is not None and pandas.contact.phone == "0808 1961 776"


def test_every_crisis_kind_has_lines() -> None:
    directory = load_directory(SHIPPED, LONDON)
    for kind in ("suicide_self_harm", "harm_to_baby", "domestic_abuse", "medical_emergency", None):
        lines = directory.crisis_lines(kind)
        assert lines and lines[0].id == "emergency-999", kind


def test_what_parents_ask_for_most_is_translated_and_findable() -> None:
    directory = load_directory(SHIPPED, LONDON)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
    for tag in ("stay_and_play", "baby_massage", "parenting"):
        found = directory.search(tags=[tag], now=monday)
        assert found, tag
        assert all(
            r.service.name.so and r.service.name.tr
            for r in found
            if r.service.id != "dads-saturday-club"
        )
    somali = directory.search(category="group", parent_language="so", now=monday)
    assert somali[0].service.id == "somali-parenting-group"
    turkish = directory.search(category="group", parent_language="tr", now=monday)
    assert turkish[0].in_parent_language
    mentors = directory.search(category="maternity_mentor", language="tr")
    assert [r.service.id for r in mentors] == ["maternity-mentors-turkish"]
    assert len(directory.hubs()) == 3
    assert directory.search("emzirme")[0].service.id == "breastfeeding-cafe"


def test_the_full_example_in_the_partner_guide_validates() -> None:
    guide = (PROJECT_ROOT / "docs" / "directory.md").read_text(encoding="utf-8")
    example = guide.split("## A full example")[1].split("```yaml\n")[1].split("```")[0]
    text = SHIPPED.read_text(encoding="utf-8") + "\n" + example
    directory, problems = check_bytes(text.encode(), LONDON)
    assert not problems, problems
    assert directory is not None and directory.get("baby-rhyme-time-northside") is not None


def test_the_worked_example_in_the_file_header_validates() -> None:
    header = SHIPPED.read_text(encoding="utf-8").split("WORKED EXAMPLE")[1].split("# ====")[0]
    # Comment lines are "#" plus four spaces; entries under services: are indented by two.
    lines = [line[3:] for line in header.split("no booking needed:")[1].splitlines()[1:]]
    example = "\n".join(lines)
    text = SHIPPED.read_text(encoding="utf-8") + "\n" + example + "\n"
    directory, problems = check_bytes(text.encode(), LONDON)
    assert not problems, problems
    assert directory is not None and directory.get("baby-rhyme-time-northside") is not None
