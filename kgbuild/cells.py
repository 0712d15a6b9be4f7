"""Stage 3, cell model: the recognised rows, read as the statute's cells.

A row is read only where its cells' positions are certain: as many cells as
columns. A text row that shows fewer numbers than columns has lost its blank
cells and nobody can say which; none of its cells is asserted.
"""

from __future__ import annotations

from .errors import Issue, Location, Severity
from .model import Cell
from .numbers import money_in_wan, read_number
from .recognise import RawRow, Recognised, Token
from .statute import T2_ROWS, T3_ROWS, T4_ROWS, Column, Kind, Row


def _cell(
    row: Row, column: Column, token: Token, default_unit: str | None, path: str | None
) -> tuple[Cell, Issue | None]:
    """A cell from one token, or the issue that says why its value is null."""
    key = row.cell_key(column.key)
    loc = Location(path, token.line, row.table, row.key, column.key)
    if token.blank:  # named later, if no balance rule fills it
        return Cell(key, None, token.text or None, token.line), None
    number = read_number(token.text)
    value = None
    problem = None
    if number is None:
        problem = "is not a number"
    elif column.kind is Kind.MONEY:
        value = money_in_wan(number, default_unit)
        if value is None:
            return Cell(key, None, token.text, token.line), Issue(
                "money-unit-unknown",
                f"{key}: {token.text!r} names no unit (元, 万元, 亿元), so its amount is unknown",
                Severity.WARNING,
                loc,
            )
    elif not number.is_integer or number.unit:
        problem = "is not a whole number"
    elif column.kind is Kind.COUNT and number.signed:
        problem = "has a sign, but this column counts"
    else:
        value = int(number.value)
    if problem:
        return Cell(key, None, token.text, token.line), Issue(
            "non-numeric-cell", f"{key}: {token.text!r} {problem}", Severity.ERROR, loc
        )
    return Cell(key, value, token.text, token.line), None


Slot = tuple[Row, Column]
"""One cell position of a printed row: the statutory row and column it holds."""


def _row_cells(
    slots: list[Slot], name: str, raw: RawRow | None, loc: Location, default_unit: str | None
) -> tuple[list[Cell], list[Issue]]:
    """The cells of one printed row, asserted only when the tokens fill its slots exactly."""
    n = len(slots)
    tokens = list(raw.tokens) if raw else []
    # Trailing blanks past the last column are layout (an empty grid cell, a ruled line).
    while len(tokens) > n and tokens[-1].blank:
        tokens.pop()
    if len(tokens) == n:
        cells, issues = [], []
        for (row, column), token in zip(slots, tokens, strict=False):
            cell, issue = _cell(row, column, token, default_unit, loc.path)
            cells.append(cell)
            if issue:
                issues.append(issue)
        return cells, issues
    nulls = [Cell(row.cell_key(column.key), None, None, loc.line) for row, column in slots]
    if raw is None:
        return nulls, [Issue("missing-row", f"{name} was not found", Severity.ERROR, loc)]
    shown = " ".join(t.text or "_" for t in tokens) or "none"
    code, note = ("short-row", "which columns are blank is unknown, so none is asserted")
    if len(tokens) > n:
        code, note = ("long-row", "none is asserted")
    plural = "" if len(tokens) == 1 else "s"
    message = f"{name} shows {len(tokens)} number{plural} for {n} columns ({shown}): {note}"
    return nulls, [Issue(code, message, Severity.ERROR, loc)]


def assign(found: Recognised, version: str, path: str | None) -> tuple[dict[str, Cell], list[Issue]]:
    """Every cell of the version's three tables, with the issues met on the way."""
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    unit = found.money_unit or ("万元" if version == "2021" else None)  # the 2021 form prints 万元
    for row in T2_ROWS[version] + T3_ROWS[version]:
        raw = found.rows.get((row.table, row.key))
        if row.optional and (raw is None or not raw.tokens):
            continue  # a group row the report need not print
        loc = Location(path, raw.line if raw else None, row.table, row.key)
        slots = [(row, c) for c in row.columns]
        row_cells, row_issues = _row_cells(slots, f"row {row.table}.{row.key}", raw, loc, unit)
        cells.update((c.key, c) for c in row_cells)
        issues += row_issues

    # T4 prints its fifteen cells as one row under three group headings.
    raw4 = RawRow("T4", "", "", found.t4_line, found.t4_tokens) if found.t4_line else None
    slots4 = [(group, c) for group in T4_ROWS for c in group.columns]
    row_cells, row_issues = _row_cells(slots4, "table T4", raw4, Location(path, found.t4_line, "T4"), None)
    cells.update((c.key, c) for c in row_cells)
    return cells, issues + row_issues
