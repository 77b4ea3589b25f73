"""The charts, drawn with matplotlib from the protected tables (never from raw counts).

Readable in black and white and by colour-blind readers: the Okabe-Ito colours, a different
hatching for each series, black edges, and every bar labelled with its number. A count that
may not be shown gets no bar, only its words ("fewer than 5"). Each chart has a text
alternative that says what it shows and where the numbers are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure

from bot.reports.disclosure import Shown
from bot.reports.tables import Protected

# Okabe & Ito (2008): told apart with every common kind of colour blindness.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "///", "xxx", "\\\\\\", "---", "+++", "|||")
WIDTH_INCHES = 6.7  # A4's width less margins
STYLE: dict[str, Any] = {
    "svg.fonttype": "none",  # text stays text: smaller, searchable, sharp when printed
    "svg.hashsalt": "familyhub-report",  # the same report gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "hatch.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # Margins set by hand (see bars): bbox_inches="tight" would draw every chart twice.
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _alt(
    kind: str, title: str, rows: Sequence[str], series: Sequence[str], values: list[list[Shown]]
) -> str:
    shown = [
        (cell.value or 0, row, name)
        for row, line in zip(rows, values, strict=True)
        for name, cell in zip(series, line, strict=True)
        if cell.shown
    ]
    largest = sorted(shown, reverse=True)[:3]
    parts = [f"{kind} of {title[0].lower()}{title[1:]}."]
    if largest:
        described = "; ".join(
            f"{row}{', ' + name if len(series) > 1 else ''}: {value:,}"
            for value, row, name in largest
        )
        parts.append(f"Largest: {described}.")
    else:
        parts.append("No count is large enough to draw.")
    hidden = sum(not cell.shown for line in values for cell in line)
    if hidden:
        parts.append(f"{hidden} counts are too small to show and have no bar.")
    parts.append("The table below gives every number.")
    return " ".join(parts)


def _drawable(label: str) -> str:
    """A label without emoji (the chart's font has none; the table keeps them)."""
    return "".join(ch for ch in label if ord(ch) <= 0xFFFF).strip()


def bars(
    title: str,
    rows: Sequence[str],
    series: Sequence[str],
    values: list[list[Shown]],
    *,
    upright: bool = False,
) -> Chart:
    """Grouped bars: one group per row, one bar per series (across, or upright for weeks)."""
    rows, series = [_drawable(r) for r in rows], [_drawable(s) for s in series]
    groups, per_group = len(rows), max(1, len(series))
    step = 1.0
    height = 0.8 / per_group
    if upright:
        size = (WIDTH_INCHES, 3.2)
    else:
        size = (WIDTH_INCHES, min(9.0, 0.9 + 0.22 * groups * per_group + 0.12 * groups))
    with rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=size)
        axes = figure.add_subplot()
        top = max((c.value or 0 for line in values for c in line if c.shown), default=0) or 1
        for s, name in enumerate(series):
            positions = [g * step + (s - (per_group - 1) / 2) * height for g in range(groups)]
            sizes = [line[s].value or 0 for line in values]
            draw = axes.bar if upright else axes.barh
            drawn = draw(
                positions,
                sizes,
                height,
                label=name,
                color=COLOURS[s % len(COLOURS)],
                hatch=HATCHES[s % len(HATCHES)],
                edgecolor="black",
                linewidth=0.6,
            )
            words = [line[s].text if not line[s].shown else f"{line[s].value:,}" for line in values]
            axes.bar_label(
                drawn,
                labels=words,
                padding=2,
                fontsize=7,
                rotation=90 if upright and per_group > 2 else 0,
            )
        ticks = [g * step for g in range(groups)]
        if upright:
            axes.set_xticks(
                ticks,
                rows,
                rotation=0 if groups < 6 else 30,
                ha="center" if groups < 6 else "right",
            )
            axes.set_ylim(0, top * 1.35)
            axes.set_ylabel("count")
        else:
            axes.set_yticks(ticks, rows)
            axes.invert_yaxis()
            axes.set_xlim(0, top * 1.3)
            axes.set_xlabel("count")
        if per_group > 1:
            axes.legend(
                frameon=False, loc="upper right" if upright else "lower right", fontsize=7.5
            )
        # Room for the longest label: about 0.065 inch a character at this size.
        longest = max((len(row) for row in rows), default=1)
        if upright:
            turned = groups >= 6
            bottom = min(0.5, 0.12 + (0.045 * longest / size[1] if turned else 0.02))
            figure.subplots_adjust(left=0.08, right=0.98, top=0.96, bottom=bottom)
        else:
            left = min(0.5, 0.03 + 0.065 * longest / size[0])
            figure.subplots_adjust(
                left=left, right=0.97, top=1 - 0.15 / size[1], bottom=0.45 / size[1]
            )
        svg = _svg(figure)
    kind = "Upright bar chart" if upright else "Bar chart"
    return Chart(svg, _alt(kind, title, rows, series, values))


def for_table(table: Protected) -> Chart | None:
    """The chart of a table (its counts, not its totals), or None for a table without one."""
    t = table.table
    if t.chart is None or not t.rows or not t.columns:
        return None
    values = [[table.grid[(row, column)] for column in t.columns] for row in t.rows]
    return bars(t.title, t.rows, t.columns, values, upright=t.chart == "weeks")
