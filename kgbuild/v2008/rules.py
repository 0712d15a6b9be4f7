"""The rules of FORMAT-2008.md §4 within one report.

A1 and A2 (a total is the sum of its rows) and A3 (历年累计 at least the
year) are errors when printed values break them; W1 ("of which" rows within
their total) is a warning. Each is checked only where every value it names is
printed. The chain across years (W3) needs the agency's other reports and is
checked by the build's shapes.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import Issue, Location, Severity
from ..model import Cell
from .forms import COLUMNS, TABLE, Form

_COLUMN_NAMES = {"year": "本年度", "cum": "历年累计"}


def check(form: Form, cells: dict[str, Cell], path: str | None) -> list[Issue]:
    """Issues for each rule of the form, and A3, that the printed values break."""
    out: list[Issue] = []

    def value(row: str, column: str) -> int | Decimal | None:
        cell = cells.get(f"{TABLE}.{row}.{column}")
        return cell.value if cell else None

    def line(row: str, column: str) -> int | None:
        cell = cells.get(f"{TABLE}.{row}.{column}")
        return cell.line if cell else None

    for rule in form.rules:
        for column in form.kept:
            total = value(rule.total, column)
            parts = [value(p, column) for p in rule.parts]
            if total is None or any(p is None for p in parts):
                continue
            summed = sum(p for p in parts if p is not None)
            broken = total != summed if rule.relation == "equal" else summed > total
            if not broken:
                continue
            relation = "=" if rule.relation == "equal" else "≥"
            shown = " + ".join(f"{p} {v}" for p, v in zip(rule.parts, parts, strict=True))
            out.append(
                Issue(
                    "balance-violation",
                    f"rule {rule.id}, {_COLUMN_NAMES[column]}: {rule.total} {total} {relation} {shown}"
                    f" does not hold (the parts sum to {summed})",
                    Severity.ERROR if rule.relation == "equal" else Severity.WARNING,
                    Location(path, line(rule.total, column), TABLE, rule.total, column),
                    (rule.id,),
                )
            )
    if set(COLUMNS) <= set(form.kept):
        for row in form.rows:
            year, cum = value(row.key, "year"), value(row.key, "cum")
            if year is not None and cum is not None and cum < year:
                out.append(
                    Issue(
                        "balance-violation",
                        f"rule A3: {row.key} 历年累计 {cum} is less than this year's {year}",
                        Severity.ERROR,
                        Location(path, line(row.key, "cum"), TABLE, row.key, "cum"),
                        ("A3",),
                    )
                )
    return out
