"""The review spreadsheet (XLSX): what `familyhub i18n export` writes and `import` reads back.

It opens in Excel and LibreOffice. The reviewer types only in three columns (the corrected
text, the decision and the comments); the others are locked (no password: it guards against
slips, not people). Two hidden columns carry the row's key and a fingerprint of the English and
the draft as they were, so the import can tell when either changed since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "familyhub-review-1"
APPROVE = "approve"
NEEDS_WORK = "needs work"
DECISIONS = (APPROVE, NEEDS_WORK)
LANGUAGE_NAMES = {"so": "Somali", "tr": "Turkish"}

# (header, width, the reviewer types here)
KEY, ENGLISH, DRAFT, CORRECTED, DECISION, COMMENTS, WHERE, TERMS, STATUS, FINGERPRINT = (
    "Key",
    "English",
    "Current draft",
    "Corrected text",
    "Decision",
    "Comments",
    "Where the text appears",
    "Glossary terms it uses",
    "Review status",
    "Fingerprint",
)
COLUMNS = (
    (KEY, 10, False),
    (ENGLISH, 48, False),
    (DRAFT, 48, False),
    (CORRECTED, 48, True),
    (DECISION, 14, True),
    (COMMENTS, 30, True),
    (WHERE, 30, False),
    (TERMS, 34, False),
    (STATUS, 22, False),
    (FINGERPRINT, 10, False),
)
HIDDEN = (KEY, FINGERPRINT)
_YOURS = PatternFill("solid", fgColor="FFF4CC")
_HEADER = PatternFill("solid", fgColor="D9E2F3")

HOW_TO = """\
How to review the {name} texts of the Family Hub helper

Each row of the sheet "{sheet}" is one text that parents (or mentors) read.
  English: what the text says in English.
  Current draft: the {name} text they see now.
  Where the text appears: a reply of the assistant, a button, a service in the directory.
  Glossary terms it uses: the words from the glossary this text must use (see the sheet "Glossary").

Type only in the three yellow columns:
  Corrected text: your better {name} text. Leave it empty if the draft is right.
  Decision: choose "approve" when the text (yours, or the draft) is right,
            or "needs work" when something is wrong that you could not fix. Then say what in Comments.
  Comments: anything we should know.

Rows you leave empty are not changed. You can stop at any time and send the file back.

Please keep:
  - every word in curly braces exactly as it is, such as {{number}} or {{name}}: the program fills it in;
  - every phone number exactly as it is (999, 111, 116 123, 0808 2000 247);
  - the glossary's words for its terms;
  - sentences short: at most {cap} words each. Plain words a tired parent understands.

Then send the file back to the Family Hub team. They run:
  familyhub i18n import <this file> --reviewer "<your name>"
which takes in every good row and lists any row it could not take, with the reason.
"""


@dataclass(frozen=True)
class Row:
    """One row of the sheet: as exported, and, when read back, what the reviewer typed."""

    key: str
    english: str
    draft: str
    where: str
    terms: str
    status: str
    fingerprint: str
    corrected: str = ""
    decision: str = ""
    comments: str = ""
    number: int = 0  # the row's number in the sheet, for messages


@dataclass(frozen=True)
class Sheet:
    """A review spreadsheet: its language and rows."""

    language: str
    rows: list[Row]
    created: str = ""
    status_filter: str = ""


def review_sheet_name(language: str) -> str:
    return f"Review {language}"


def write(
    path: Path,
    sheet: Sheet,
    glossary_rows: list[tuple[str, str, str, str, str]],
    cap: int,
) -> None:
    """The workbook: instructions, the rows to review, the glossary, and a hidden 'about' sheet."""
    language = sheet.language
    name = LANGUAGE_NAMES.get(language, language)
    book = Workbook()
    how = book.active
    assert how is not None
    how.title = "How to review"
    for number, line in enumerate(
        HOW_TO.format(name=name, sheet=review_sheet_name(language), cap=cap).splitlines(), 1
    ):
        how.cell(number, 1, line)
    how.column_dimensions["A"].width = 110
    how["A1"].font = Font(bold=True, size=14)

    review = book.create_sheet(review_sheet_name(language))
    _rows(review, sheet.rows, name)
    _glossary(book.create_sheet("Glossary"), glossary_rows, name)
    about = book.create_sheet("about")
    for number, (field, value) in enumerate(
        [
            ("format", FORMAT),
            ("language", language),
            ("created", sheet.created or date.today().isoformat()),
            ("status", sheet.status_filter or "all"),
        ],
        1,
    ):
        about.cell(number, 1, field)
        about.cell(number, 2, value)
    about.sheet_state = "hidden"
    book.active = 1
    book.save(path)


def _rows(review: Worksheet, rows: list[Row], name: str) -> None:
    for column, (header, width, _) in enumerate(COLUMNS, 1):
        shown = {DRAFT: f"Current draft ({name})", CORRECTED: f"Corrected text ({name})"}
        cell = review.cell(1, column, shown.get(header, header))
        cell.font, cell.fill = Font(bold=True), _HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = cell.column_letter
        review.column_dimensions[letter].width = width
        review.column_dimensions[letter].hidden = header in HIDDEN
    for number, row in enumerate(rows, 2):
        values = {
            KEY: row.key,
            ENGLISH: row.english,
            DRAFT: row.draft,
            CORRECTED: row.corrected,
            DECISION: row.decision,
            COMMENTS: row.comments,
            WHERE: row.where,
            TERMS: row.terms,
            STATUS: row.status,
            FINGERPRINT: row.fingerprint,
        }
        for column, (header, _, yours) in enumerate(COLUMNS, 1):
            cell = review.cell(number, column, values[header] or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if yours:
                cell.fill = _YOURS
                cell.protection = Protection(locked=False)
    decision = _letter(DECISION)
    choices = DataValidation(
        type="list", formula1=f'"{",".join(DECISIONS)}"', allow_blank=True, showDropDown=False
    )
    choices.error = f"Choose {' or '.join(DECISIONS)}, or leave it empty."
    review.add_data_validation(choices)
    if rows:
        choices.add(f"{decision}2:{decision}{len(rows) + 1}")
    review.freeze_panes = "C2"
    review.auto_filter.ref = f"A1:{_letter(FINGERPRINT)}{len(rows) + 1}"
    # Locked cells stay locked; the reviewer may still filter, resize and format.
    review.protection.sheet = True
    review.protection.autoFilter = False
    review.protection.formatColumns = False
    review.protection.formatRows = False
    review.protection.formatCells = False


def _glossary(sheet: Worksheet, rows: list[tuple[str, str, str, str, str]], name: str) -> None:
    headers = ("Term", "English forms", f"{name}: write", "Note for translators", "Review")
    widths = (18, 24, 40, 70, 18)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(1, column, header)
        cell.font, cell.fill = Font(bold=True), _HEADER
        sheet.column_dimensions[cell.column_letter].width = width
    for number, values in enumerate(rows, 2):
        for column, value in enumerate(values, 1):
            sheet.cell(number, column, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _letter(header: str) -> str:
    return get_column_letter([h for h, _, _ in COLUMNS].index(header) + 1)


class NotAReviewSheet(ValueError):
    """The file is not a review spreadsheet from `familyhub i18n export`."""


def read(path: Path) -> Sheet:
    """A review spreadsheet's language and rows, with what the reviewer typed."""
    try:
        book = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise NotAReviewSheet(f"{path.name} cannot be opened as an XLSX file ({error})") from None
    if "about" not in book.sheetnames:
        raise NotAReviewSheet(f"{path.name} was not made by `familyhub i18n export`")
    about = {
        str(row[0]): str(row[1])
        for row in book["about"].iter_rows(values_only=True)
        if row and row[0] is not None
    }
    if about.get("format") != FORMAT:
        raise NotAReviewSheet(f"{path.name}: unknown format {about.get('format')!r}")
    language = about.get("language", "")
    name = review_sheet_name(language)
    if name not in book.sheetnames:
        raise NotAReviewSheet(f"{path.name} has no sheet '{name}'")
    lines = list(book[name].iter_rows(values_only=True))
    if not lines:
        raise NotAReviewSheet(f"{path.name}: the sheet '{name}' is empty")
    header = [str(h or "") for h in lines[0]]
    where = {}
    for wanted, _, _ in COLUMNS:
        found = [i for i, h in enumerate(header) if h == wanted or h.startswith(wanted + " (")]
        if not found:
            raise NotAReviewSheet(f"{path.name}: the column '{wanted}' is missing")
        where[wanted] = found[0]

    def cell(line: tuple[object, ...], column: str) -> str:
        index = where[column]
        value = line[index] if index < len(line) else None
        return "" if value is None else str(value)

    rows = [
        Row(
            key=cell(line, KEY),
            english=cell(line, ENGLISH),
            draft=cell(line, DRAFT),
            where=cell(line, WHERE),
            terms=cell(line, TERMS),
            status=cell(line, STATUS),
            fingerprint=cell(line, FINGERPRINT),
            corrected=cell(line, CORRECTED).strip(),
            decision=" ".join(cell(line, DECISION).lower().split()),
            comments=" ".join(cell(line, COMMENTS).split()),
            number=number,
        )
        for number, line in enumerate(lines[1:], 2)
        if any(value is not None for value in line)
    ]
    return Sheet(language, rows, about.get("created", ""), about.get("status", ""))
