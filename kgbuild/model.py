"""The cell model: one annual report, every statutory cell, every doubt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import Issue, Location, Severity
from .numbers import plain_decimal
from .statute import CellKey

Value = int | Decimal | None
"""A cell's value: a count or change (int), money in 万元 (Decimal), or None."""


@dataclass(frozen=True)
class Section:
    """A numbered section of prose, such as 一、总体情况 or 五、存在的主要问题及改进情况."""

    heading: str
    text: str
    line: int
    """The 1-based line of the heading."""


@dataclass(frozen=True)
class Cell:
    """One statutory cell of one report."""

    key: str
    """The canonical key, ``T3.denied.secret.natural``."""
    value: Value
    """None where the source does not determine the value."""
    text: str | None = None
    """The cell's text as the source writes it (``1.8 亿元``), or None."""
    line: int | None = None
    """The 1-based line of the source the text is on."""
    inferred_by: tuple[int, ...] = ()
    """For a value the source leaves blank, or prints as one run of digits with
    its row: the balance rules that fixed it."""
    placed: str | None = None
    """How a printed value found its cell when its row did not say: ``cut``
    (one cut of a digit run fits), ``order`` (its label was lost, and the
    statutory order with the balance rules fixes its row). None: as printed."""

    @property
    def inferred(self) -> bool:
        return bool(self.inferred_by) or self.placed == "cut"

    def json_value(self) -> int | str | None:
        if isinstance(self.value, Decimal):
            return plain_decimal(self.value)
        return self.value


@dataclass(frozen=True)
class Report:
    """One annual report in the canonical cell model of FORMAT.md."""

    source: str | None
    """The input as given."""
    sha256: str
    """Of the input bytes."""
    agency: str | None
    """The reporting agency, as the report names it."""
    year: int | None
    """The reporting year."""
    version: str | None
    """The statutory tables it follows: ``2019`` or ``2021``; ``2008`` for reports of 2008–2018."""
    published: str | None
    """Date of publication or signature, ISO 8601, or None."""
    cells: Mapping[str, Cell]
    """Every canonical key of the version, in form order."""
    issues: tuple[Issue, ...] = ()
    encoding: str | None = None
    """The text encoding the input was read with."""
    form: str = "text"
    """The input form: text, html, docx or pdf."""
    tables: tuple[str, ...] = field(default=())
    """The statutory tables found (``T2``, ``T3``, ``T4``)."""
    sections: tuple[Section, ...] = field(default=())
    """The numbered sections of prose around the tables."""
    division: str | None = None
    """The GB/T 2260 code of the agency's administrative division, where one fits."""
    office: str | None = None
    """The agency's office in its place: 人民政府, 人民政府办公室, 教育局."""
    table_form: str | None = None
    """Version 2008: the provincial form its table follows (``fujian-v1``…), or ``prose`` when it prints none."""
    prose: tuple[str, ...] = field(default=())
    """Version 2008: the keys whose value came from the narrative, not from a table."""
    scope: str | None = None
    """Version 2008: ``own``, or ``aggregate`` where the report sums its subordinate units."""

    def value(self, key: str) -> Value:
        cell = self.cells.get(key)
        return cell.value if cell else None

    @property
    def inferred(self) -> list[str]:
        return [k for k, c in self.cells.items() if c.inferred]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    def to_dict(self) -> dict[str, object]:
        """The parser's JSON of FORMAT.md (plus where each cell was read)."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "agency": self.agency,
            "year": self.year,
            "version": self.version,
            "published": self.published,
            "division": self.division,
            "cells": {k: c.json_value() for k, c in self.cells.items()},
            "inferred": self.inferred,
            "placed": {k: c.placed for k, c in self.cells.items() if c.placed},
            "issues": [i.to_dict() for i in self.issues],
            "encoding": self.encoding,
            "form": self.table_form,
            "input_form": self.form,
            "prose": list(self.prose),
            "scope": self.scope,
            "sections": [{"heading": s.heading, "text": s.text, "line": s.line} for s in self.sections],
            "sources": {k: {"line": c.line, "text": c.text} for k, c in self.cells.items() if c.text is not None},
        }


def unexplained_nulls(cells: Mapping[str, Cell], issues: list[Issue], path: str | None) -> list[Issue]:
    """A missing-cell issue for every cell still null that no issue names: not the cell, its row,
    its group row (T3.other for T3.other.misc) or its table."""
    named = {i.key for i in issues if i.severity is not Severity.INFO}
    out: list[Issue] = []
    for key, cell in cells.items():
        if cell.value is not None:
            continue
        k = CellKey.parse(key)
        parts = k.row_key.split(".")
        if named & {key, *(".".join(parts[:n]) for n in range(1, len(parts) + 1))}:
            continue
        out.append(
            Issue(
                "missing-cell",
                f"{key} is blank in the source and no balance rule fixes it",
                Severity.WARNING,
                Location(path, cell.line, k.table, k.row, k.column),
            )
        )
    return out
