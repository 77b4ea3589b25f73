"""The report as one HTML page: self-contained for a file (style inline, charts as data: URIs,
no request anywhere), or for /staff/reports with its style and script served by the gateway,
so that the page runs under a strict Content-Security-Policy with no inline script or style."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from bot.reports.changes import change_rows
from bot.reports.disclosure import FEWER_THAN_5, WITHHELD
from bot.reports.report import Report
from bot.reports.tables import Protected

TEMPLATES = Path(__file__).resolve().parent / "templates"
HIDDEN_WORDS = frozenset({FEWER_THAN_5, WITHHELD, "not shown (small numbers)"})


def stylesheet() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def as_table(table: Protected) -> Markup:
    """A protected table as HTML: row headers, totals in bold, hidden counts in words."""
    t = table.table
    parts = [f"<table><caption>{escape(t.title)}</caption><thead><tr>"]
    first_text = len(table.header) - len(t.texts)
    for i, name in enumerate(table.header):
        kind = ' class="text"' if i >= first_text else ""
        parts.append(f'<th scope="col"{kind}>{escape(name)}</th>')
    parts.append("</tr></thead><tbody>")
    for label, counts, texts, total in table.lines():
        parts.append('<tr class="total">' if total else "<tr>")
        parts.append(f'<th scope="row">{escape(label)}</th>')
        for cell in counts:
            hidden = "" if cell.shown else ' class="hidden"'
            parts.append(f"<td{hidden}>{escape(cell.text)}</td>")
        for text in texts:
            hidden = " hidden" if text in HIDDEN_WORDS or text == "withheld" else ""
            parts.append(f'<td class="text{hidden}">{escape(text)}</td>')
        parts.append("</tr>")
    if not t.rows:
        parts.append(
            f'<tr><td colspan="{len(table.header)}" class="text">Nothing counted.</td></tr>'
        )
    parts.append("</tbody></table>")
    return Markup("".join(parts))


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"])
    )
    environment.filters["svg_uri"] = _svg_uri
    environment.filters["as_table"] = as_table
    return environment


def render_html(
    report: Report,
    *,
    standalone: bool = True,
    css_url: str = "",
    js_url: str = "",
    staff: Markup | None = None,
) -> str:
    """The page: `standalone` for a file; otherwise with the served style and script, and the
    staff's own controls (`staff`, already escaped) above it."""
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            standalone=standalone,
            css=Markup(stylesheet()),
            css_url=css_url,
            js_url=js_url,
            staff=staff,
            change_rows=change_rows(report.changes),
            hidden_words=HIDDEN_WORDS,
        )
    )
