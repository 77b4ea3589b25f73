"""A report's tables: counts by rows and columns, with their totals, protected as a whole
(bot.reports.disclosure) before anything is drawn or written from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.reports.disclosure import Shown, Status, protect, shown


@dataclass
class Table:
    """Counts with their row and column labels, and optional text columns after them."""

    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[str] = field(default_factory=list)
    cells: list[list[int]] = field(default_factory=list)
    # The label of the row totals' column (None: no row totals), and of the totals' row.
    row_total: str | None = None
    column_total: str | None = None
    # Text columns after the counts (medians, yes/no, population shares): never counts.
    texts: list[str] = field(default_factory=list)
    text_cells: list[list[str]] = field(default_factory=list)
    chart: str | None = "bars"  # "bars" (grouped, across), "weeks" (grouped, upright), None
    note: str = ""

    def add(self, row: str, counts: list[int], texts: list[str] | None = None) -> None:
        self.rows.append(row)
        self.cells.append(counts)
        self.text_cells.append(texts or [])

    def protected(self) -> Protected:
        return Protected(self)


class Protected:
    """A table after disclosure control: what may be shown, cell by cell."""

    def __init__(self, table: Table) -> None:
        self.table = table
        cells = table.cells
        if cells:
            statuses, row_totals, column_totals, grand = protect(
                cells,
                row_totals=table.row_total is not None,
                column_totals=table.column_total is not None,
            )
        else:
            statuses, row_totals = [], []
            column_totals, grand = [Status.SMALL] * len(table.columns), Status.SMALL
        self.grid: dict[tuple[str, str], Shown] = {}
        for r, row in enumerate(table.rows):
            for c, column in enumerate(table.columns):
                self.grid[(row, column)] = shown(cells[r][c], statuses[r][c])
            if table.row_total is not None:
                self.grid[(row, table.row_total)] = shown(sum(cells[r]), row_totals[r])
        if table.column_total is not None:
            for c, column in enumerate(table.columns):
                total = sum(cells[r][c] for r in range(len(cells)))
                self.grid[(table.column_total, column)] = shown(total, column_totals[c])
            if table.row_total is not None:
                self.grid[(table.column_total, table.row_total)] = shown(
                    sum(map(sum, cells)), grand
                )

    def get(self, row: str, column: str) -> Shown | None:
        return self.grid.get((row, column))

    @property
    def header(self) -> list[str]:
        t = self.table
        return [t.row_header, *t.columns, *([t.row_total] if t.row_total else []), *t.texts]

    @property
    def count_columns(self) -> list[str]:
        t = self.table
        return [*t.columns, *([t.row_total] if t.row_total else [])]

    def lines(self) -> list[tuple[str, list[Shown], list[str], bool]]:
        """Each row: its label, its counts (with the row total), its texts, whether a total row."""
        t = self.table
        found = []
        for r, row in enumerate(t.rows):
            counts = [self.grid[(row, column)] for column in self.count_columns]
            texts = t.text_cells[r] if r < len(t.text_cells) else []
            found.append((row, counts, texts + [""] * (len(t.texts) - len(texts)), False))
        if t.column_total is not None and t.rows:
            counts = [self.grid[(t.column_total, column)] for column in self.count_columns]
            found.append((t.column_total, counts, [""] * len(t.texts), True))
        return found

    def as_text(self) -> list[list[str]]:
        """The table as it is shown: a header row, then every row's cells as text."""
        return [self.header] + [
            [label, *(cell.text for cell in counts), *texts]
            for label, counts, texts, _total in self.lines()
        ]

    def values(self) -> list[list[int | str]]:
        """For exports: shown counts as numbers, the rest as their words."""
        header: list[int | str] = list(self.header)
        return [header] + [
            [
                label,
                *(
                    cell.value if cell.shown and cell.value is not None else cell.text
                    for cell in counts
                ),
                *texts,
            ]
            for label, counts, texts, _total in self.lines()
        ]
