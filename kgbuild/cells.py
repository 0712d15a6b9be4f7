"""Stage 3, cell model: the recognised rows, read as the statute's cells.

A row is read only where its cells' positions are certain: as many cells as
columns. A text row that shows fewer numbers than columns has lost its blank
cells and nobody can say which; none of its cells is asserted.

Two kinds of row leave something open that the table as a whole can close
(:mod:`kgbuild.placement`): a row printed as one run of digits (which cut?),
and numbers whose label was lost (which row?). Each is settled only where
exactly one choice, with the table's balance rules, fits.

Why this module is long: reading a table is one pass over its rows that
shares the table's state (the rows read so far, the options left open, the
issues); the cutting and placing are already in modules of their own
(:mod:`kgbuild.digit_runs`, :mod:`kgbuild.placement`), and what stays here
reads only in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import balance
from .digit_runs import TooManyCuts, cuts
from .errors import Issue, Location, Severity
from .model import Cell
from .numbers import money_in_wan, read_number
from .placement import settle
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
    value: int | Decimal | None = None
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


_TABLE_RULES = {"2019": frozenset({1, 3}), "2021": frozenset({1, 3, 4})}
"""The T3 rules that join rows: what settles a row that one row's own rule cannot."""

Slot = tuple[Row, Column]
"""One cell position of a printed row: the statutory row and column it holds."""


@dataclass(frozen=True)
class Reading:
    """One way to read a printed row: its cells, and what was met on the way."""

    cells: tuple[Cell, ...]
    issues: tuple[Issue, ...] = ()
    rules: frozenset[int] = frozenset()
    """For a cut of a digit run: the rules that ruled the other cuts out."""
    cut: bool = False

    def values(self) -> dict[str, int | None]:
        return {c.key: c.value if isinstance(c.value, int) else None for c in self.cells}


@dataclass
class _Printed:
    """A printed row of a table, with the readings still open for it."""

    raw: RawRow
    options: list[tuple[str, Reading]] = field(default_factory=list)
    """(statutory row key, reading): one for a plain labelled row."""
    problem: Issue | None = None
    """Why it has no reading (a digit run no cut fits, a label lost past placing)."""


def _trimmed(tokens: list[Token], n: int) -> list[Token]:
    """A row's tokens less the blanks that layout adds past its columns.

    A ruled cell after the last column, or a label cell that spans two
    columns (a merged 项目 cell), gives a blank that is no cell of the row.
    """
    tokens = list(tokens)
    while len(tokens) > n and tokens[-1].blank:
        tokens.pop()
    while len(tokens) > n and tokens[0].blank:
        tokens.pop(0)
    return tokens


def _readings(slots: list[Slot], name: str, raw: RawRow, loc: Location, unit: str | None) -> list[Reading]:
    """Every way the printed row may fill its slots: one, several cuts of a digit run, or none."""
    n = len(slots)
    tokens = _trimmed(raw.tokens, n)
    if len(tokens) == 1 and tokens[0].digit_run and n > 1:
        return _cuts(slots, name, tokens[0], loc)
    if n == 1 and len({t.text for t in tokens}) == 1 and not tokens[0].blank:
        # One value written into every column its cell spans (docling repeats a
        # merged cell so: | 行政许可 | 2629 | 2629 | 2629 |): whichever is the cell, it is this value.
        tokens = tokens[:1]
    if len(tokens) == n:
        pairs = [_cell(row, column, token, unit, loc.path) for (row, column), token in zip(slots, tokens, strict=True)]
        return [Reading(tuple(c for c, _ in pairs), tuple(i for _, i in pairs if i))]
    nulls = tuple(Cell(row.cell_key(column.key), None, None, loc.line) for row, column in slots)
    if not tokens:
        message = f"{name} shows no numbers for its {n} columns"
        return [Reading(nulls, (Issue("short-row", message, Severity.ERROR, loc),))]
    code, note = ("short-row", "which columns are blank is unknown, so none is asserted")
    if len(tokens) > n:
        code, note = ("long-row", "none is asserted")
    plural = "" if len(tokens) == 1 else "s"
    shown = " ".join(t.text or "_" for t in tokens)
    message = f"{name} shows {len(tokens)} number{plural} for {n} columns ({shown}): {note}"
    return [Reading(nulls, (Issue(code, message, Severity.ERROR, loc),))]


def _cuts(slots: list[Slot], name: str, token: Token, loc: Location) -> list[Reading]:
    """The cuts of a digit run that fit the row: none, one, or several for the table to choose."""
    table = slots[0][0].table
    groups = [len(r.columns) for r in dict.fromkeys(row for row, _ in slots)]
    summed = table in ("T3", "T4")  # a T3 row's 总计, a T4 group's 总计
    row_rule = 2 if table == "T3" else 5
    run = token.text
    try:
        fitting = cuts(run, groups, summed=summed)
    except TooManyCuts:
        fitting = []
    try:  # whether the row's own sum rule narrowed the cuts, to name it
        ruled_out = summed and len(cuts(run, groups)) > len(fitting)
    except TooManyCuts:
        ruled_out = True
    readings = []
    for values in fitting:
        cells = tuple(
            Cell(row.cell_key(column.key), value, token.text, token.line)
            for (row, column), value in zip(slots, values, strict=True)
        )
        readings.append(Reading(cells, rules=frozenset({row_rule}) if ruled_out else frozenset(), cut=True))
    if not readings:
        nulls = tuple(Cell(row.cell_key(column.key), None, token.text, token.line) for row, column in slots)
        rule = f", no leading zeros and rule {row_rule}" if summed else " and no leading zeros"
        message = f"{name} is a digit run of {len(run)} digits ({run}) that no cut into {len(slots)} cells{rule} fits"
        return [Reading(nulls, (Issue("digit-run", message, Severity.ERROR, loc),))]
    return readings


def _ambiguous_run(name: str, raw: RawRow, slots: int, count: int, loc: Location, why: str = "") -> Issue:
    run = raw.tokens[0].text if raw.tokens else ""
    return Issue(
        "digit-run",
        f"{name} is a digit run of {len(run)} digits ({run}) for {slots} columns: {count} cuts fit{why},"
        " so none is asserted",
        Severity.ERROR,
        loc,
    )


def _unplaced(p: _Printed, table: str, why: str, path: str | None, severity: Severity = Severity.ERROR) -> Issue:
    """Numbers under no known label that are not asserted, and why."""
    label = f" ({p.raw.label})" if p.raw.label else ""
    return Issue(
        "unplaced-row",
        f"numbers on line {p.raw.line} ({p.raw.shown}) follow no row label we know{label}: {why}, so none is asserted",
        severity,
        Location(path, p.raw.line, table),
    )


def _row_name(table: str, key: str | None) -> str:
    return f"row {table}.{key}" if key else f"table {table}"


def assign(found: Recognised, version: str, path: str | None) -> tuple[dict[str, Cell], list[Issue]]:
    """Every cell of the version's three tables, with the issues met on the way."""
    unit = found.money_unit or ("万元" if version == "2021" else None)  # the 2021 form prints 万元
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    for table, rows in (("T2", T2_ROWS[version]), ("T3", T3_ROWS[version])):
        if table not in found.tables:
            # One issue for a missing table (the parser's), none for each of its rows.
            cells.update((k, Cell(k, None)) for row in rows if not row.optional for k in row.keys)
            continue
        table_cells, table_issues = _table(table, rows, found, version, path, unit)
        cells.update(table_cells)
        issues += table_issues

    # T4 prints its fifteen cells as one row under three group headings.
    slots4 = [(group, c) for group in T4_ROWS for c in group.columns]
    if found.t4_line is None:
        cells.update((row.cell_key(c.key), Cell(row.cell_key(c.key), None)) for row, c in slots4)
        return cells, issues
    raw4 = RawRow("T4", None, "", found.t4_line, found.t4_tokens)
    loc4 = Location(path, found.t4_line, "T4")
    readings = _readings(slots4, "table T4", raw4, loc4, None)
    if len(readings) > 1:  # T4's groups share no rule that could choose among the cuts
        issues.append(_ambiguous_run("table T4", raw4, len(slots4), len(readings), loc4))
        readings = [Reading(tuple(Cell(c.key, None, c.text, c.line) for c in readings[0].cells))]
    cells.update((c.key, _marked(c, readings[0])) for c in readings[0].cells)
    issues += readings[0].issues
    issues += _cut_notes(readings[0], "table T4", loc4)
    return cells, issues


def _marked(cell: Cell, reading: Reading, placed: str | None = None) -> Cell:
    """A cell with how its value was placed: cut from a digit run, or by the statutory order."""
    if cell.value is None:
        return cell
    if reading.cut:
        return Cell(cell.key, cell.value, cell.text, cell.line, tuple(sorted(reading.rules)), placed or "cut")
    if placed:
        return Cell(cell.key, cell.value, cell.text, cell.line, cell.inferred_by, placed)
    return cell


def _cut_notes(reading: Reading, name: str, loc: Location) -> list[Issue]:
    if not reading.cut or reading.cells[0].value is None:
        return []
    shown = "|".join(str(c.value) for c in reading.cells)
    why = f"and balance rule{'s' if len(reading.rules) > 1 else ''} {', '.join(map(str, sorted(reading.rules)))}"
    message = (
        f"{name} is printed as one run of digits ({reading.cells[0].text}); read as {shown}, the only cut that fits"
        f" its {len(reading.cells)} columns, no leading zeros {why if reading.rules else 'and its digit count'}"
    )
    return [Issue("digit-run-cut", message, Severity.INFO, loc, tuple(sorted(reading.rules)))]


def _table(
    table: str, rows: tuple[Row, ...], found: Recognised, version: str, path: str | None, unit: str | None
) -> tuple[dict[str, Cell], list[Issue]]:
    """The cells of T2 or T3: every printed row read, and what the table leaves open settled."""
    by_key = {r.key: r for r in rows}
    order = {r.key: i for i, r in enumerate(rows)}
    printed = [_Printed(raw) for raw in found.printed.get(table, [])]
    labelled = {p.raw.key for p in printed if p.raw.key}

    def readings_as(row: Row, raw: RawRow) -> list[Reading]:
        loc = Location(path, raw.line, table, row.key)
        return _readings([(row, c) for c in row.columns], _row_name(table, row.key), raw, loc, unit)

    anchors = [order[p.raw.key] for p in printed if p.raw.key]
    in_order = anchors == sorted(anchors)
    last = -1
    for i, p in enumerate(printed):
        if p.raw.key:
            last = order[p.raw.key]
            p.options = [(p.raw.key, r) for r in readings_as(by_key[p.raw.key], p.raw)]
            continue
        # Numbers with no label: the rows the statutory order leaves between their neighbours.
        following = next((order[q.raw.key] for q in printed[i + 1 :] if q.raw.key), len(rows))
        gap = [r for r in rows[last + 1 : following] if r.key not in labelled]
        if table == "T3" and in_order and gap:
            p.options = [(r.key, reading) for r in gap for reading in readings_as(r, p.raw)]
        else:
            why = (
                "T2 has no balance rule to confirm a row's place" if table == "T2" else "no statutory row is free there"
            )
            if not in_order:
                why = "the labelled rows are not in the statutory order"
            # Numbers where every statutory row is printed are outside the form
            # (a subtotal, a note): worth a look, but no cell of the form is lost.
            lost = bool(gap) or not in_order
            p.problem = _unplaced(p, table, why, path, Severity.ERROR if lost else Severity.WARNING)

    chosen = _settle(table, printed, version, order, path)
    cells: dict[str, Cell] = {}
    issues: list[Issue] = []
    filled: set[str] = set()
    for p, choice in zip(printed, chosen, strict=True):
        if p.problem:
            issues.append(p.problem)
            continue
        name = _row_name(table, p.raw.key)
        loc = Location(path, p.raw.line, table, p.raw.key)
        if choice is None:
            issues.append(_open_row(p, table, name, loc))
            continue
        key, reading = choice
        if reading.cut and len(p.options) > 1:  # the table's sums chose among the cuts
            reading = replace(reading, rules=reading.rules | _TABLE_RULES[version])
        filled.add(key)
        placed = None
        if p.raw.key is None:
            placed = "order"
            issues.append(_placed_note(p, key, table, printed, path))
            loc = Location(path, p.raw.line, table, key)
            name = _row_name(table, key)
        for c in reading.cells:
            cells[c.key] = _marked(c, reading, placed)
        issues += reading.issues
        issues += _cut_notes(reading, name, loc)

    # The rows no printed row filled: a label with no numbers, or no label at all.
    for row in rows:
        if row.key in filled:
            continue
        raw = found.rows.get((table, row.key))
        if row.optional and (raw is None or not raw.tokens):
            continue  # a group row the report need not print
        cells.update((k, Cell(k, None, None, raw.line if raw else None)) for k in row.keys)
        loc = Location(path, raw.line if raw else None, table, row.key)
        if raw is None:
            issues.append(Issue("missing-row", f"row {table}.{row.key} was not found", Severity.ERROR, loc))
        elif not raw.tokens:
            message = f"row {table}.{row.key} (line {raw.line}) shows no numbers, and no unlabelled row takes its place"
            issues.append(Issue("short-row", message, Severity.ERROR, loc))
    return cells, _itemised(table, version, found, issues, path)


def _settle(
    table: str, printed: list[_Printed], version: str, order: dict[str, int], path: str | None
) -> list[tuple[str, Reading] | None]:
    """The one reading of each printed row that the table's balance rules leave, or None."""
    options = [p.options if not p.problem else [] for p in printed]
    orphans = [i for i, p in enumerate(printed) if p.raw.key is None and p.options]
    unknown: dict[str, int | None] = {
        k: None for row in (T3_ROWS[version] if table == "T3" else ()) if not row.optional for k in row.keys
    }
    if not orphans and all(len(o) <= 1 for o in options):
        return [o[0] if o else None for o in options]  # as printed: nothing open

    unlabelled = [p.raw.key is None for p in printed if p.options and not p.problem]

    def fits(choice: tuple[tuple[str, Reading], ...]) -> bool:
        keys = [key for key, _ in choice]
        placed = [order[key] for (key, _), free in zip(choice, unlabelled, strict=True) if free]
        if len(set(keys)) < len(keys) or placed != sorted(placed):
            return False  # each statutory row once; unlabelled rows in the statutory order
        if table != "T3":
            return True  # T2 has no balance rule to choose by
        values = dict(unknown)  # a row nobody printed is unknown, not absent: its rules still bind
        for _, reading in choice:
            values.update(reading.values())
        eqs = balance.equations(version, values)
        if balance.check(eqs, values):
            return False
        try:
            balance.infer(eqs, values)
        except balance.Infeasible:
            return False
        return True

    settled = settle(options, fits)
    chosen = settled.chosen
    if not settled.fitting:
        # No choice balances: an unlabelled row's place is unconfirmed, so it is not placed.
        chosen = [None if i in orphans else c for i, c in enumerate(chosen)]
        for i in orphans:
            why = "in no place the statutory order leaves do the balance rules hold"
            printed[i].problem = _unplaced(printed[i], table, why, path)
    return chosen


def _open_row(p: _Printed, table: str, name: str, loc: Location) -> Issue:
    """Why a printed row with several readings is left null."""
    if p.raw.key is None:
        keys = ", ".join(sorted({key for key, _ in p.options}))
        why = f"the statutory order and the balance rules leave more than one row for them ({keys})"
        return _unplaced(p, table, why, loc.path)
    why = " the row, and the table's balance rules leave more than one" if table == "T3" else ""
    return _ambiguous_run(name, p.raw, len(p.options[0][1].cells), len(p.options), loc, why)


def _placed_note(p: _Printed, key: str, table: str, printed: list[_Printed], path: str | None) -> Issue:
    i = printed.index(p)
    before = next((q.raw.key for q in reversed(printed[:i]) if q.raw.key), None)
    after = next((q.raw.key for q in printed[i + 1 :] if q.raw.key), None)
    between = " and ".join(f"{table}.{k}" for k in (before, after) if k)
    label = f" under the label {p.raw.label!r}, which names no statutory row," if p.raw.label else " with no label"
    return Issue(
        "placed-by-order",
        f"numbers on line {p.raw.line} ({p.raw.shown}){label} placed as {table}.{key} by the statutory order"
        f"{f' (between {between})' if between else ''}: the only place the row count and balance rules leave",
        Severity.WARNING,
        Location(path, p.raw.line, table, key),
    )


def _itemised(table: str, version: str, found: Recognised, issues: list[Issue], path: str | None) -> list[Issue]:
    """The 2021 其他处理 printed as one row without its three sub-rows: the agency's
    deviation from the form, one warning rather than three missing rows."""
    if table != "T3" or version != "2021":
        return issues
    group = found.rows.get(("T3", "other"))
    subs = [f"other.{k}" for k in ("no_correction", "no_fee", "misc")]
    if group is None or not group.tokens or any(("T3", k) in found.rows for k in subs):
        return issues
    kept = [i for i in issues if not (i.code == "missing-row" and i.location.row in subs)]
    kept.append(
        Issue(
            "form-deviation",
            "（六）其他处理 is printed as one row, without the three sub-rows the 2021 form has"
            " (逾期不补正, 逾期未缴费, 其他): their cells are null unless rule 4 fixes them",
            Severity.WARNING,
            Location(path, group.line, "T3", "other"),
        )
    )
    return kept
