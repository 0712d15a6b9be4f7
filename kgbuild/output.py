"""One way out for every command's results: ``--format table|csv|json``.

A command hands over rows (dicts, or objects with ``to_dict()``) and the
columns a table or CSV shows; JSON is the rows' ``to_dict()`` as the library
gives it, with numbers as JSON numbers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")


def plain(value: object) -> object:
    """A value as JSON holds it: a decimal as a number (a JSON number is a double: exact to 15 digits)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def dumps(value: object, **kwargs: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, **kwargs)


def _dict(row: object) -> dict[str, object]:
    to_dict = getattr(row, "to_dict", None)
    return to_dict() if to_dict else dict(row)  # type: ignore[call-overload]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def write(rows: Iterable[object], columns: Sequence[str], fmt: str, out: TextIO, *, lines: bool = False) -> int:
    """Print rows as ``table``, ``csv`` (also ``tsv``) or ``json``; returns how many.

    :param columns: the keys a table or CSV shows, in order (JSON keeps every key).
    :param lines: JSON Lines, one object a line, instead of one JSON array.
    """
    dicts = [_dict(r) for r in rows]
    if fmt == "json":
        if lines:
            out.writelines(dumps(d) + "\n" for d in dicts)
        else:
            out.write(dumps(dicts, indent=2) + "\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(d.get(c)) for c in columns] for d in dicts)
    else:
        from .render import table

        if dicts:
            out.write(table([list(columns), *([_cell(d.get(c)) for c in columns] for d in dicts)]) + "\n")
        out.write(f"({len(dicts)} rows)\n")
    return len(dicts)
