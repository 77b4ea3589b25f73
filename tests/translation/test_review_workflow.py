"""The review workflow on real XLSX files: `familyhub i18n export`, a reviewer's corrections
(good rows and broken ones), `familyhub i18n import`, and `familyhub i18n status`."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from bot.cli import main
from bot.safety.review import load_register
from bot.settings import PROJECT_ROOT, Settings
from bot.translation import crisis_texts
from bot.translation.catalog import CatalogFile, status
from bot.translation.directory_review import DirectoryReview
from tests.conftest import make_settings

TODAY = date.today().isoformat()
TALK = "Talk to a person"
CLOSED = "Closed today."
HOURS = "Opening hours:"
SAMARITANS = "Call Samaritans on {number}. It is free, any time, day or night."
CHECK = "I'm sorry if things feel hard right now. If you or your baby are in danger, call 999. You can call Samaritans free on 116 123, day or night."
FEEDING = "Feeding can be hard, and it is fine to ask for help. Your health visitor or midwife can help too. Here is support near you:"
CAFE = "directory:services/breastfeeding-cafe/description"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose services directory is a copy the import may change."""
    return make_settings(tmp_path, services_directory=tmp_path / "services_directory.yaml")


@pytest.fixture
def locales(tmp_path: Path, command_settings: Settings) -> Path:
    """Copies of locales/ and the services directory, in the test's folder."""
    shutil.copytree(PROJECT_ROOT / "locales", tmp_path / "locales")
    shutil.copy(PROJECT_ROOT / "services_directory.yaml", command_settings.services_directory)
    return tmp_path / "locales"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def export(locales: Path, path: Path, *options: str) -> Path:
    result = run(
        "i18n", "export", "--language", "so", "--out", path, "--locales", locales, *options
    )
    assert result.exit_code == 0, result.output
    return path


def fill(path: Path, answers: dict[str, dict[str, str]]) -> None:
    """Type into the spreadsheet as a reviewer would: by the English (or key) of each row."""
    book = load_workbook(path)
    sheet = book["Review so"]
    header = [c.value for c in sheet[1]]
    english, key = header.index("English") + 1, header.index("Key") + 1
    for row in range(2, sheet.max_row + 1):
        wanted = answers.get(sheet.cell(row, english).value) or answers.get(
            sheet.cell(row, key).value
        )
        for column, value in (wanted or {}).items():
            found = [i for i, h in enumerate(header, 1) if str(h).startswith(column)]
            sheet.cell(row, found[0], value)
    book.save(path)


def entry(locales: Path, msgid: str) -> Any:
    found = CatalogFile("so", locales / "so" / "LC_MESSAGES" / "messages.po").get(msgid)
    assert found is not None
    return found


def test_the_spreadsheet_has_the_columns_a_reviewer_needs(locales: Path, tmp_path: Path) -> None:
    path = export(locales, tmp_path / "review.xlsx", "--status", "machine-draft")
    book = load_workbook(path)
    assert book.sheetnames == ["How to review", "Review so", "Glossary", "about"]
    assert book.active.title == "Review so"  # type: ignore[union-attr]
    sheet = book["Review so"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Key", "English", "Current draft (Somali)", "Corrected text (Somali)", "Decision",
        "Comments", "Where the text appears", "Glossary terms it uses", "Review status",
        "Fingerprint",
    ]  # fmt: skip
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert "kalkaalisada caafimaadka (health visitor)" in rows[FEEDING][7]
    assert "reply utter_greet (button)" in rows[TALK][6]
    assert "bot/conversations/welcome.py" in rows[TALK][6]
    assert "crisis reply, clinical review: draft" in rows[SAMARITANS][6]
    assert rows[CLOSED][6] == "bot/i18n/cards.py"
    assert all(r[8] == "machine-draft" for r in rows.values())
    # Only the reviewer's three columns can be typed in; the key and fingerprint are hidden.
    assert sheet.protection.sheet
    assert [sheet.cell(2, c).protection.locked for c in range(1, 11)] == [
        True, True, True, False, False, False, True, True, True, True,
    ]  # fmt: skip
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["J"].hidden
    assert sheet.data_validations.dataValidation[0].formula1 == '"approve,needs work"'
    assert book["Glossary"].max_row == 18  # a header and 17 terms
    assert book["about"].sheet_state == "hidden"
    everything = export(locales, tmp_path / "all.xlsx")
    assert load_workbook(everything)["Review so"].max_row > sheet.max_row  # untranslated too


def test_round_trip_applies_the_good_rows_and_refuses_the_broken_ones(
    locales: Path, tmp_path: Path, command_settings: Settings
) -> None:
    directory = command_settings.services_directory
    before_yaml = directory.read_text(encoding="utf-8").splitlines()
    path = export(locales, tmp_path / "review.xlsx", "--status", "machine-draft")
    fill(
        path,
        {
            TALK: {
                "Corrected": "La hadal qof dhab ah",
                "Decision": "approve",
                "Comments": "clearer",
            },
            CLOSED: {"Decision": "approve"},
            HOURS: {"Decision": "needs work", "Comments": "Say when it opens, not only the hours."},
            CAFE: {
                "Corrected": "Kulan furan oo loogu talagalay hooyooyinka naaska nuujiya. La kulan hooyooyin kale iyo khabiir quudinta. Xitaa haddii aad uur leedahay waad iman kartaa."
            },
            # Broken rows: a placeholder lost, a helpline number mistyped, a glossary term lost.
            SAMARITANS: {"Corrected": "Wac Samaritans. Waa bilaash, wakhti kasta."},
            CHECK: {
                "Corrected": "Waan ka xumahay. Haddii adiga ama ilmahaagu khatar ku jirtaan, wac 999. Samaritans bilaash ugu wac 116 132, habeen iyo maalin."
            },
            FEEDING: {
                "Corrected": "Quudinta way adkaan kartaa. Umulisadaada ayaa ku caawin karta. Halkan waa taageero kuu dhow:"
            },
        },
    )
    result = run("i18n", "import", path, "--reviewer", "Hodan Ali", "--locales", locales)
    assert result.exit_code == 1, result.output  # some rows were refused
    out = result.output
    assert "3 refused" in out and "3 reviewed by Hodan Ali" in out and "1 marked needs work" in out
    refused = [line for line in out.splitlines() if line.startswith("REFUSED")]
    assert len(refused) == 3
    assert any("curly braces must be exactly the English ones: {number}" in r for r in refused)
    assert "helpline number is missing or changed: 116123" in out
    assert "a number is not in the English (a typing mistake?): 116132" in out
    assert "uses 'health visitor' but not the glossary's" in out

    # The catalog: the good rows applied and marked reviewed, with reviewer and date.
    talk = entry(locales, TALK)
    assert talk.string == "La hadal qof dhab ah"
    assert status(talk) == f"checked-by Hodan Ali {TODAY}"
    assert "note: clearer" in talk.user_comments
    assert status(entry(locales, CLOSED)) == f"checked-by Hodan Ali {TODAY}"
    assert entry(locales, CLOSED).string == "Maanta waa xiran yahay."
    assert status(entry(locales, HOURS)) == "needs-work Say when it opens, not only the hours."
    # The refused rows are untouched.
    for msgid in (SAMARITANS, CHECK, FEEDING):
        assert status(entry(locales, msgid)) == "machine-draft"
    assert entry(locales, SAMARITANS).string.startswith("Wac Samaritans {number}.")

    # The .po file is still a plain gettext catalog: it reads, compiles, and only those entries
    # changed (what Poedit and Weblate need).
    po = locales / "so" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="so")
    write_mo(io.BytesIO(), catalog)
    original = (PROJECT_ROOT / "locales/so/LC_MESSAGES/messages.po").read_text().splitlines()
    diff = list(difflib.unified_diff(original, po.read_text().splitlines(), lineterm="", n=0))
    added = [line for line in diff if line.startswith("+") and not line.startswith("+++")]
    removed = [line for line in diff if line.startswith("-") and not line.startswith("---")]
    # Three review statuses and one msgstr replaced; one reviewer's note added.
    assert len(removed) == 4 and len(added) == 5, diff

    # The directory: only the corrected text changed, and its review is recorded beside it.
    after_yaml = directory.read_text(encoding="utf-8").splitlines()
    assert [line for line in after_yaml if line not in before_yaml] == [
        "      so: Kulan furan oo loogu talagalay hooyooyinka naaska nuujiya. La kulan hooyooyin kale iyo khabiir quudinta. Xitaa haddii aad uur leedahay waad iman kartaa."
    ]
    review = DirectoryReview(locales / "directory-review.yml")
    assert review.reviews["so"]["services/breastfeeding-cafe/description"].status == (
        f"checked-by Hodan Ali {TODAY}"
    )
    assert run("directory", "validate").exit_code == 0

    status_out = run("i18n", "status", "--locales", locales).output
    somali = status_out.split("Somali (so)")[1].split("Turkish (tr)")[0]
    entries = len(list(CatalogFile("so", locales / "so" / "LC_MESSAGES" / "messages.po").entries()))
    assert f"catalogs 1% reviewed 2 of {entries} (needs work: 1)" in " ".join(somali.split())
    assert "1 of 70" in somali  # the directory text


def test_a_newer_change_is_never_overwritten_without_saying_so(
    locales: Path, tmp_path: Path
) -> None:
    path = export(locales, tmp_path / "review.xlsx")
    fill(path, {TALK: {"Corrected": "La hadal qof dhab ah"}, CAFE: {"Decision": "approve"}})
    # After the export, someone else improves the same text in the .po file.
    po = CatalogFile("so", locales / "so" / "LC_MESSAGES" / "messages.po")
    po.set(TALK, "La hadal qof", "machine-draft")
    po.catalog[TALK].string = "Kala hadal qof"
    po.save()
    refused = run("i18n", "import", path, "--reviewer", "Hodan", "--locales", locales)
    assert refused.exit_code == 1
    assert (
        "was changed after this spreadsheet was made (now: 'Kala hadal qof'); not overwritten"
        in refused.output
    )
    assert entry(locales, TALK).string == "Kala hadal qof"
    assert "1 reviewed" in refused.output  # the directory row still went in

    forced = run(
        "i18n", "import", path, "--reviewer", "Hodan", "--overwrite-newer", "--locales", locales
    )
    assert forced.exit_code == 0, forced.output
    assert "replaced a change made after the export: 'Kala hadal qof'" in forced.output
    assert entry(locales, TALK).string == "La hadal qof dhab ah"


def test_a_row_whose_english_changed_is_refused(locales: Path, tmp_path: Path) -> None:
    path = export(locales, tmp_path / "review.xlsx")
    fill(path, {CLOSED: {"Decision": "approve"}})
    book = load_workbook(path)
    sheet = book["Review so"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == CLOSED:
            row[9].value = "0000000000000000:" + str(row[9].value).split(":")[1]
    book.save(path)
    result = run("i18n", "import", path, "--reviewer", "Hodan", "--locales", locales)
    assert "the English has changed since this spreadsheet was made; export again" in result.output
    assert status(entry(locales, CLOSED)) == "machine-draft"


def test_needs_work_needs_a_comment_and_a_decision_must_be_known(
    locales: Path, tmp_path: Path
) -> None:
    path = export(locales, tmp_path / "review.xlsx")
    fill(path, {CLOSED: {"Decision": "needs work"}, HOURS: {"Decision": "maybe"}})
    result = run("i18n", "import", path, "--reviewer", "Hodan", "--locales", locales)
    assert "'needs work' needs a comment saying what is wrong" in result.output
    assert "the decision must be approve or needs work, not 'maybe'" in result.output
    assert result.exit_code == 1


def test_a_file_that_is_not_a_review_spreadsheet_is_refused(locales: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.xlsx"
    other.write_bytes(b"not a spreadsheet")
    result = CliRunner().invoke(
        main, ["i18n", "import", str(other), "--reviewer", "Hodan", "--locales", str(locales)]
    )
    assert result.exit_code == 1 and "cannot be opened as an XLSX file" in result.output


def test_status_reads_the_clinical_review_from_the_register_apart_from_translation(
    locales: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register = tmp_path / "review.yml"
    text = (PROJECT_ROOT / "bot/safety/review.yml").read_text(encoding="utf-8")
    # A clinician approves the Somali phrase list (only in this test's copy).
    register.write_text(
        text.replace(
            'so: {status: draft, note: "written by engineering; needs a Somali-speaking clinician"}',
            "so: {status: approved, reviewer: Dr Warsame, date: 2026-12-01}",
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(crisis_texts, "load_register", lambda: load_register(register))
    out = run("i18n", "status", "--locales", locales).output
    somali = out.split("Somali (so)")[1].split("Turkish (tr)")[0]
    translation, clinical = (" ".join(part.split()) for part in somali.split("clinical review"))
    assert "crisis texts" in translation and "0% reviewed" in translation
    assert "crisis phrase lists 100% approved 1 of 1" in clinical
    assert "crisis texts 0% approved 0 of 22" in clinical
    turkish = " ".join(out.split("Turkish (tr)")[1].split())
    assert "crisis phrase lists 0% approved 0 of 1" in turkish


def test_the_catalogs_pass_msgfmts_checks_after_an_import(locales: Path, tmp_path: Path) -> None:
    """What Poedit runs when it saves a catalog (gettext's msgfmt, from `make system-deps`)."""
    path = export(locales, tmp_path / "review.xlsx")
    fill(path, {TALK: {"Corrected": "La hadal qof dhab ah"}, SAMARITANS: {"Decision": "approve"}})
    assert run("i18n", "import", path, "--reviewer", "Hodan", "--locales", locales).exit_code == 0
    for language in ("so", "tr"):
        po = locales / language / "LC_MESSAGES" / "messages.po"
        checked = subprocess.run(
            ["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
