"""The crisis screen: normalisation, inflection, mixed languages, guards, independence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.safety import CRISIS_KINDS, CrisisMatch, Screen, screen
from bot.safety.lists import PhraseList


def _kind(text: str) -> str | None:
    match = screen(text)
    return match.kind if match else None


def test_kinds() -> None:
    assert CRISIS_KINDS == (
        "suicide_self_harm",
        "harm_to_baby",
        "domestic_abuse",
        "medical_emergency",
        "postpartum_psychosis",
    )


@pytest.mark.parametrize(
    "text",
    [
        "kendimi öldürmek istiyorum",
        "kendimi öldüreceğim",
        "kendimi oldurcem",
        "KENDİMİ ÖLDÜRECEĞİM",
        "KENDIMI OLDURECEGIM",
        "Kendimi Öldürmeyi düşünüyorum",
        "I want to kill myself",
        "I keep thinking about killing myself",
        "KILLED MYSELF",
        "waxaan rabaa inaan is dilo",
        "isdilo",
        "is dili doonaa",
        "IS DILI DOONAA",
    ],
)
def test_inflected_forms_and_casing(text: str) -> None:
    assert _kind(text) == "suicide_self_harm"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("bebegime zarar vermekten korkuyorum", "harm_to_baby"),
        ("BEBEĞİME ZARAR VERECEĞİM", "harm_to_baby"),
        ("BEBEGIME ZARAR VERECEGIM", "harm_to_baby"),
        ("kocam beni dovuyor", "domestic_abuse"),
        ("bebegim nefes almiyor", "medical_emergency"),
        ("INTIHAR edecegim", "suicide_self_harm"),
        ("İNTİHAR", "suicide_self_harm"),
    ],
)
def test_turkish_without_diacritics_and_in_capitals(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ilmaha ma neefsanayo", "medical_emergency"),
        ("ilmaha ma nefsanayo", "medical_emergency"),  # single vowels
        ("ninkaygu wuu i garaacaa", "domestic_abuse"),
        ("ninkaygu wuu i garaca", "domestic_abuse"),
        ("ninkaygu wuu i eejiyay", "domestic_abuse"),  # c dropped from ceejiyay
        ("naftayda waan ka tahalusi doonaa", "suicide_self_harm"),  # kh written h
        ("naftayda waan ka taxalusi doonaa", "suicide_self_harm"),  # kh written x
        ("ilmaha miyir beelay", "medical_emergency"),
        ("nolosha waan ka da'alay", "suicide_self_harm"),  # apostrophe for a long vowel
        ("cunuga ayaan dili doona", "harm_to_baby"),  # single consonant
    ],
)
def test_somali_spelling_variants(text: str, kind: str) -> None:
    assert _kind(text) == kind


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("honestly ölmek istiyorum, I can't do this", "suicide_self_harm", "tr"),
        ("please help ilmaha ma neefsanayo", "medical_emergency", "so"),
        ("waan daalay, I want to die", "suicide_self_harm", "en"),
        ("my husband beni dövüyor", "domestic_abuse", "tr"),
        ("mentor ii soo dir, ninkaygu wuu i garaacay", "domestic_abuse", "so"),
    ],
)
def test_mixed_language_messages(text: str, kind: str, language: str) -> None:
    assert screen(text) == CrisisMatch(kind, screen(text).phrase, language)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "👍",
        "ok",
        "skill myself up on weaning",
        "I'm dying to know when the group starts",
        "this heat is killing me",
        "öldüm gülmekten",
        "kulaylkan ayaa i dilaya",
        "can I take paracetamol while breastfeeding",
        "overdue baby, any tips?",
    ],
)
def test_everyday_text_is_not_a_crisis(text: str) -> None:
    assert screen(text) is None


def test_the_match_names_the_listed_phrase() -> None:
    custom = _screen(en={"suicide_self_harm": ["want to die", "kill* myself"]})
    assert custom("I keep thinking about killing myself") == CrisisMatch(
        "suicide_self_harm", "kill* myself", "en"
    )


def _screen(**lists: dict[str, list[str]]) -> Screen:
    return Screen(
        [
            PhraseList(
                lang, {k: v for k, v in spec.items() if k != "guards"}, spec.get("guards", [])
            )
            for lang, spec in lists.items()
        ]
    )


def test_a_guard_hides_the_crisis_phrase_it_overlaps() -> None:
    custom = _screen(en={"medical_emergency": ["choking"], "guards": ["choking on milk"]})
    assert custom("he is choking") is not None
    assert custom("he keeps choking on milk") is None
    assert custom("choking on milk, and now choking again") is not None


def test_a_crisis_phrase_wrapping_a_guard_still_counts() -> None:
    custom = _screen(
        so={"domestic_abuse": ["aabaha ilmaha .. i laad*"], "guards": ["ilmaha .. i laad*"]}
    )
    assert custom("ilmaha wuu i laadaa") is None
    assert custom("aabaha ilmaha wuu i laadaa") is not None


def test_kinds_are_reported_in_order_of_priority() -> None:
    custom = _screen(en={"suicide_self_harm": ["want to die"], "domestic_abuse": ["hits me"]})
    assert custom("he hits me and I want to die").kind == "suicide_self_harm"  # type: ignore[union-attr]


def test_the_screen_does_not_need_rasa_or_tensorflow() -> None:
    code = (
        "import sys; from bot.safety import screen; screen('I want to die'); "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'rasa', 'tensorflow'}]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_long_message_is_screened_in_windows_and_nothing_at_an_edge_is_lost() -> None:
    """Every position of a phrase in a long message, across window boundaries, is found."""
    custom = _screen(
        en={
            "suicide_self_harm": ["want .. to .. die & tonight"],
            "guards": ["want to die laughing"],
        }
    )
    filler = ("the baby group on tuesday was lovely " * 60).split()
    assert len(filler) > 3 * custom.window_words
    phrase = ["i", "want", "so", "much", "to", "really", "die", "tonight"]
    for at in range(0, len(filler), 7):
        words = filler[:at] + phrase + filler[at:]
        assert custom(" ".join(words)) is not None, at
    assert custom(" ".join(filler)) is None


def test_a_guard_next_to_a_window_edge_still_hides_its_phrase() -> None:
    custom = _screen(en={"medical_emergency": ["choking"], "guards": ["keeps choking on milk"]})
    filler = ["word"] * (3 * custom.window_words)
    for at in range(0, len(filler), 5):
        words = filler[:at] + ["he", "keeps", "choking", "on", "milk"] + filler[at:]
        assert custom(" ".join(words)) is None, at


def test_the_screen_names_the_new_kind() -> None:
    custom = _screen(tr={"postpartum_psychosis": ["sesler duy*"]})
    assert custom("günlerdir uyumuyor, sesler duyuyor") == CrisisMatch(
        "postpartum_psychosis", "sesler duy*", "tr"
    )
