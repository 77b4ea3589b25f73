"""Every output of a report (the HTML tables, its charts and their text alternatives, CSV,
XLSX) shows no count under 5, and no count that a total would give away."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from base64 import b64decode
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook

from bot.reports import Report, render_html, sheets, write_csv, xlsx_bytes
from bot.reports.disclosure import FEWER_THAN_5, WITHHELD
from tests.reports.conftest import PLACED

HIDDEN = {FEWER_THAN_5, WITHHELD, "not shown (small numbers)"}
NUMBER = re.compile(r"^[+-]?[\d,]+$")
SVG = "{http://www.w3.org/2000/svg}"


def check_count(text: str, where: str) -> None:
    """A count as shown: words for a hidden one, or a number of at least 5 (a change too)."""
    text = text.strip()
    if text in HIDDEN:
        return
    assert NUMBER.match(text), (where, text)
    assert abs(int(text.replace(",", "").replace("+", ""))) >= 5, (where, text)


class Cells(HTMLParser):
    """The count cells of the page's tables (text cells are class "text"), and its images."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[str] = []
        self.images: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self._in_count = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "td" and "text" not in found.get("class", ""):
            self._in_count = True
            self.counts.append("")
        elif tag == "img":
            self.images.append(found)
        elif tag == "script":
            self.scripts.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_count = False

    def handle_data(self, data: str) -> None:
        if self._in_count:
            self.counts[-1] += data


def bar_labels(svg: str) -> list[str]:
    """The labels matplotlib put on the bars (not the axis ticks, not the legend)."""
    found: list[str] = []

    def walk(element: ET.Element, skip: bool) -> None:
        ident = element.get("id", "")
        skip = skip or ident.startswith(("matplotlib.axis", "legend"))
        if element.tag == f"{SVG}text" and not skip:
            found.append("".join(element.itertext()))
        for child in element:
            walk(child, skip)

    walk(ET.fromstring(svg), False)
    return found


def test_the_html_page_hides_small_counts_in_its_tables_charts_and_alternatives(
    report: Report,
) -> None:
    page = render_html(report)
    cells = Cells()
    cells.feed(page)
    assert len(cells.counts) > 200
    for text in cells.counts:
        check_count(text, "html table")
    assert any(text.strip() == FEWER_THAN_5 for text in cells.counts)
    assert any(text.strip() == WITHHELD for text in cells.counts)
    assert len(cells.images) == len(report.charts) >= 8
    for image in cells.images:
        assert image["alt"].endswith("The table below gives every number.")
        for number in re.findall(r": ([\d,]+)[;.]", image["alt"]):
            check_count(number, "text alternative")
        svg = b64decode(image["src"].split(",", 1)[1]).decode("utf-8")
        labels = bar_labels(svg)
        assert labels, image["alt"]
        for label in labels:
            check_count(label, "chart")


def test_the_small_count_placed_by_hand_and_its_giveaway_are_hidden_everywhere(
    report: Report, out: Path
) -> None:
    crisis = next(t for t in report.tables() if t.table.key == "safety-crisis")
    row = crisis.get("Harm to the baby", "Somali")
    assert row is not None and not row.shown
    # Its row total is shown, so another of the row is withheld too.
    total = crisis.get("Harm to the baby", "All languages")
    hidden = [crisis.get("Harm to the baby", name) for name in ("Somali", "Turkish", "English")]
    assert total is not None and total.shown
    assert sum(1 for cell in hidden if cell is not None and not cell.shown) >= 2
    assert sum(PLACED.values()) <= (total.value or 0)

    by_file = {p.name: p.read_text() for p in write_csv(report, out)}
    text = by_file["familyhub-report-2026-11-safety-crisis.csv"]
    line = next(line for line in text.splitlines() if line.startswith("Harm to the baby"))
    assert line.count(FEWER_THAN_5) + line.count(WITHHELD) >= 2


def test_csv_files_show_no_count_under_5(report: Report, out: Path) -> None:
    written = write_csv(report, out)
    assert len(written) == len(sheets(report)) >= 18
    seen = 0
    for path in written:
        for line in path.read_text(encoding="utf-8").splitlines():
            for cell in line.split(","):
                cell = cell.strip('"')
                if NUMBER.match(cell):
                    check_count(cell, path.name)
                    seen += 1
    assert seen > 100


def test_the_workbook_shows_no_count_under_5(report: Report) -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes(report)))
    assert book.sheetnames[0] == "about" and "changes" in book.sheetnames
    assert len(book.sheetnames) == len(sheets(report))
    numbers = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, int | float):
                    assert abs(value) >= 5, (sheet.title, row)
                    numbers += 1
                elif isinstance(value, str) and NUMBER.match(value):
                    check_count(value, sheet.title)
    assert numbers > 100


def test_what_changed_hides_both_numbers_and_the_difference_under_the_same_rule(
    report: Report,
) -> None:
    assert report.sections[-1].key == "changes"
    for change in report.changes:
        if change.difference.shown:
            assert change.before.shown and change.after.shown
            assert abs(change.difference.value or 0) >= 5
        if not (change.before.shown and change.after.shown):
            assert not change.difference.shown
    for sentence in report.sections[-1].sentences:
        for number in re.findall(r"\b\d[\d,]*\b", sentence):
            check_count(number, "sentence")
    assert any(" rose from " in s or " fell from " in s for s in report.sections[-1].sentences)
