"""The working group's reports: reach, needs, gaps, signposting, handoffs, safety, feedback and
what changed, for a whole month or quarter, built from the daily counts (bot.analytics) with
every count under 5 hidden (`disclosure`); as one HTML page, CSV files or one XLSX workbook."""

from bot.reports.exports import csv_text, sheets, write_csv, xlsx_bytes
from bot.reports.page import render_html, stylesheet
from bot.reports.period import Period, PeriodError, check_complete, recent
from bot.reports.population import Population, PopulationError, read_population
from bot.reports.report import Report, build_report

__all__ = [
    "Period",
    "PeriodError",
    "Population",
    "PopulationError",
    "Report",
    "build_report",
    "check_complete",
    "csv_text",
    "read_population",
    "recent",
    "render_html",
    "sheets",
    "stylesheet",
    "write_csv",
    "xlsx_bytes",
]
