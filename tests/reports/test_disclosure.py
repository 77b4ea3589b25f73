"""Small numbers: every count under 5 hidden, and no hidden count can be worked out from the
totals shown beside it (secondary suppression)."""

from __future__ import annotations

import random

from bot.reports.disclosure import (
    FEWER_THAN_5,
    Shown,
    Status,
    change,
    protect,
    share,
    single,
)
from bot.reports.tables import Table


def lines(
    rows: int, columns: int, row_totals: bool, column_totals: bool
) -> list[list[tuple[int, int]]]:
    """Every sum the table shows: each row with its total, each column with its total."""
    found = []
    if row_totals:
        for r in range(rows + (1 if column_totals else 0)):
            found.append([(r, c) for c in range(columns + 1)])
    if column_totals:
        for c in range(columns + (1 if row_totals else 0)):
            found.append([(r, c) for r in range(rows + 1)])
    return found


def test_random_tables_hide_every_small_count_and_never_one_alone_in_a_sum() -> None:
    r = random.Random(5)
    for _ in range(400):
        rows, columns = r.randint(1, 6), r.randint(1, 5)
        cells = [
            [r.choice([0, 1, 3, 4, 5, 7, 12, 40, 300]) for _ in range(columns)] for _ in range(rows)
        ]
        row_totals, column_totals = r.random() < 0.8, r.random() < 0.8
        statuses, by_row, by_column, grand = protect(
            cells, row_totals=row_totals, column_totals=column_totals
        )
        grid = {(i, j): statuses[i][j] for i in range(rows) for j in range(columns)}
        values = {(i, j): cells[i][j] for i in range(rows) for j in range(columns)}
        for i in range(rows):
            grid[(i, columns)], values[(i, columns)] = by_row[i], sum(cells[i])
        for j in range(columns):
            grid[(rows, j)], values[(rows, j)] = by_column[j], sum(c[j] for c in cells)
        grid[(rows, columns)], values[(rows, columns)] = grand, sum(map(sum, cells))
        for key, status in grid.items():
            used = (key[0] < rows or column_totals) and (key[1] < columns or row_totals)
            if used and values[key] < 5:
                assert status is Status.SMALL, (cells, key)
        for line in lines(rows, columns, row_totals, column_totals):
            hidden = [key for key in line if grid[key] is not Status.SHOWN]
            assert len(hidden) != 1, (cells, line, hidden)


def test_a_table_shows_words_for_hidden_counts() -> None:
    table = Table("t", "T", "Language", ["web", "telegram"], row_total="All", column_total="All")
    table.add("Somali", [3, 40])
    table.add("Turkish", [20, 30])
    text = table.protected().as_text()
    assert text[1] == ["Somali", FEWER_THAN_5, "withheld", "43"]
    # Web's 3 would follow from 23 - 20, so Turkish web is withheld, then Turkish telegram.
    assert text[2] == ["Turkish", "withheld", "withheld", "50"]
    assert text[3] == ["All", "23", "70", "93"]


def test_shares_and_changes_follow_the_same_rule() -> None:
    assert share(single(40), single(44)) == "not shown (small numbers)"  # leaves 4 out
    assert share(single(40), single(50)) == "80%"
    assert share(single(3), single(50)) == "not shown (small numbers)"
    assert change(single(12), single(31)) == Shown(Status.SHOWN, 19)
    assert change(single(12), single(15)).text == FEWER_THAN_5
    assert change(single(3), single(31)).status is Status.WITHHELD
