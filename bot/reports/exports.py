"""The report's tables as CSV files (one a table) or as one XLSX workbook (one sheet a table),
written from the protected tables: hidden counts are words there too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.reports.changes import change_rows
from bot.reports.report import Report

Rows = list[list[int | str]]


def sheets(report: Report) -> dict[str, Rows]:
    """Every table by a short name (its key), the changes and an "about" sheet first."""
    found: dict[str, Rows] = {
        "about": [
            ["Family Hub helper report", report.period.label],
            ["From", report.period.start.isoformat()],
            ["To", report.period.end.isoformat()],
            ["Compared with", report.previous.label],
            ["Made on", report.made_on.isoformat()],
            ["Small numbers", report.note],
        ]
    }
    for section in report.sections:
        for table in section.tables:
            found[table.table.key] = [[f"{section.number}. {table.table.title}"], *table.values()]
    header: list[int | str] = ["What", report.previous.label, report.period.label, "Change"]
    found["changes"] = [
        ["8. What changed"],
        header,
        *[list[int | str](row) for row in change_rows(report.changes)],
    ]
    return found


def csv_text(rows: Rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_csv(report: Report, folder: Path) -> list[Path]:
    """One CSV file a table in `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in sheets(report).items():
        path = folder / f"familyhub-report-{report.period.key}-{name}.csv"
        path.write_text(csv_text(rows), encoding="utf-8")
        written.append(path)
    return written


def xlsx_bytes(report: Report) -> bytes:
    """One workbook, a sheet a table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets(report).items():
        sheet = book.create_sheet(title=name[:31])
        for row in rows:
            sheet.append(row)
        sheet["A1"].font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
