"""A report as a person reads it: the three tables, with blanks and inferences marked."""

from __future__ import annotations

import unicodedata

from .model import Report
from .statute import FORM_2008, P_COLUMNS, T2_ROWS, T3_ROWS, T4_ROWS, CellKey, Column, Row, column_kind

NULL = "·"
INFERRED = "*"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def table(rows: list[list[str]], *, numbers: bool = False, indent: str = "") -> str:
    """Rows of text as aligned columns (CJK counts double).

    :param numbers: right-align every column but the first, as figures are read.
    """
    widths = [max(_width(r[i]) for r in rows if i < len(r)) for i in range(max(map(len, rows)))]
    return "\n".join(
        indent + "  ".join(_pad(v, widths[i], right=numbers and i > 0) for i, v in enumerate(r)).rstrip() for r in rows
    )


def _table(report: Report, title: str, rows: tuple[Row, ...]) -> list[str]:
    present = [r for r in rows if any(k in report.cells for k in r.keys)]
    if not present:
        return [title, "  (not in this report)"]
    grid: list[list[str]] = []
    for row in present:
        line = [row.key]
        for column in row.columns:
            cell = report.cells.get(row.cell_key(column.key))
            if cell is None or cell.value is None:
                line.append(f"{column.key}={NULL}" if _mixed(present) else NULL)
                continue
            value = cell.json_value()
            text = f"{value}{INFERRED}" if cell.inferred else str(value)
            line.append(f"{column.key}={text}" if _mixed(present) else text)
        grid.append(line)
    header = [] if _mixed(present) else [["", *[c.key for c in present[0].columns]]]
    return [title, *table(header + grid, numbers=bool(header), indent="  ").splitlines()]


def _mixed(rows: list[Row]) -> bool:
    """Rows whose columns differ (T2) print each value with its column key."""
    return len({tuple(c.key for c in r.columns) for r in rows}) > 1


def _rows_2008(report: Report) -> tuple[Row, ...]:
    """The rows of a 2008–2018 report, in the order its form and prose give them."""
    rows: dict[str, list[str]] = {}
    for key in report.cells:
        k = CellKey.parse(key)
        rows.setdefault(k.row, []).append(k.column)
    return tuple(
        Row("P", row, tuple(Column(c, column_kind(f"P.{row}.{c}")) for c in P_COLUMNS if c in columns))
        for row, columns in rows.items()
    )


def render(report: Report) -> str:
    """The report's metadata, its three tables and its issues, as plain text."""
    version = report.version or "?"
    lines = [
        f"{report.source or '<bytes>'}",
        f"  agency: {report.agency or NULL}   year: {report.year or NULL}   "
        f"tables: version {version}   published: {report.published or NULL}",
        f"  read as {report.form}" + (f", {report.encoding}" if report.form in ("text", "html") else ""),
        "",
    ]
    if report.version == FORM_2008:
        form = f"{report.table_form} form" if report.table_form != "prose" else "no table: figures from prose"
        scope = ", sums its subordinate units" if report.scope == "aggregate" else ""
        lines += [*_table(report, f"P 政府信息公开情况统计 ({form}{scope})", _rows_2008(report)), ""]
        if report.prose:
            lines += [f"  from prose: {', '.join(report.prose)}", ""]
    elif report.version:
        lines += [*_table(report, "T2 主动公开政府信息情况", T2_ROWS[report.version]), ""]
        lines += [*_table(report, "T3 收到和处理政府信息公开申请情况", T3_ROWS[report.version]), ""]
        lines += [*_table(report, "T4 行政复议、行政诉讼情况", T4_ROWS), ""]
    lines.append(f"{NULL} not determined by the source    {INFERRED} inferred by a balance rule")
    shown = [i for i in report.issues if i.code != "inferred-cell"]
    inferred = len(report.issues) - len(shown)
    lines.append(f"issues: {len(shown)}" + (f" (and {inferred} cells inferred)" if inferred else ""))
    lines += [f"  {i}" for i in shown]
    return "\n".join(lines)
