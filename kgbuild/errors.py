"""Issues (bad input, recorded as data) and errors (cannot continue).

A parser never raises on bad content: it records an :class:`Issue` and goes
on. :class:`KgbuildError` is for what stops the work on one input: a file
that cannot be read, or bytes that are no report at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # a number the report should show is missing, or the report is wrong
    WARNING = "warning"  # doubtful, worth a look, values kept
    INFO = "info"  # what the parser did on its own (a value inferred by a rule)


CODES: dict[str, str] = {
    "missing-table": "A statutory table was not found in the report.",
    "missing-row": "A statutory row was not found in its table.",
    "short-row": "A row shows fewer numbers than it has columns, so no cell of it is asserted.",
    "long-row": "A row shows more numbers than it has columns, so no cell of it is asserted.",
    "digit-run": "A row printed as one run of digits that no single cut into its cells fits; none is asserted.",
    "digit-run-cut": "A row printed as one run of digits, read by the only cut that fits its columns and rules.",
    "placed-by-order": "Numbers whose row label was lost or misprinted, placed by the statutory row order;"
    " the row count and balance rules confirm the place.",
    "unplaced-row": "Numbers under no row label that the statutory order and balance rules cannot place.",
    "form-deviation": "The report departs from the statutory form (a group printed without its sub-rows).",
    "missing-cell": "A cell the source does not determine; its value is null.",
    "non-numeric-cell": "A cell's text is not a number of its column's kind; its value is null.",
    "money-unit-unknown": "An amount of money with no unit (元, 万元, 亿元) in the cell or its header.",
    "balance-violation": "The printed values break a balance rule (勾稽关系) of the form.",
    "shape-violation": "The report's graph breaks a SHACL shape of its structure, codes or values (kgbuild validate).",
    "inferred-cell": "A blank cell whose value the balance rules and non-negativity fix uniquely.",
    "inference-conflict": "The balance rules cannot be met by non-negative integers; nothing was inferred.",
    "unknown-version": "The tables do not say which statutory version they follow.",
    "missing-agency": "The report does not name its agency in a way the parser recognises.",
    "missing-year": "The report does not name its reporting year.",
    "division-unresolved": "The agency's administrative division is unknown or ambiguous; it is not linked.",
    "digit-run-ambiguous": "A row of a 2008–2018 table printed as one run of digits with several cuts that keep"
    " rule A3; none is asserted.",
    "approx": "A figure in prose written as approximate (约, 余, 多, 左右…): not a value; the text is kept.",
    "prose-table-conflict": "A figure in the report's prose differs from its table; the table's value stands.",
    "prose-conflict": "The prose gives two different figures for one cell; neither is asserted.",
    "label-guess": "A prose label that drifts from the table's words, mapped to the row it most likely means.",
    "cumulative-chain": "历年累计 is not last year's 历年累计 plus this year's value (rule W3): the series was reset.",
}
"""Every issue code, with what it means. The README's table is made from it."""


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Location:
    """Where in a source something was found."""

    path: str | None = None
    """The input as given (a path, or None for bytes)."""
    line: int | None = None
    """1-based line of the text form, when the input has lines."""
    table: str | None = None
    """``T2``, ``T3`` or ``T4``."""
    row: str | None = None
    """The row key, as in FORMAT.md."""
    column: str | None = None
    """The column key, as in FORMAT.md."""

    def __str__(self) -> str:
        where = f"{self.path or '<bytes>'}"
        if self.line is not None:
            where += f":{self.line}"
        return where


@dataclass(frozen=True)
class Issue:
    """One thing the parser found wrong or doubtful, located in the source."""

    code: str
    """A stable kebab-case code from :data:`CODES`."""
    message: str
    severity: Severity
    location: Location
    rules: tuple[int | str, ...] = ()
    """The balance rules the issue is about, if any: 1–7 of FORMAT.md, A1… and W1… of FORMAT-2008.md."""

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown issue code {self.code!r}")

    @property
    def key(self) -> str | None:
        """The canonical cell key (or ``table.row`` for a whole row) the issue names."""
        loc = self.location
        if loc.table is None:
            return None
        parts = [p for p in (loc.table, loc.row, loc.column) if p]
        return ".".join(parts)

    def order(self) -> tuple[int, int]:
        """How a report lists its issues: errors, then warnings, then notes; each by line."""
        return (_SEVERITY_ORDER[self.severity], self.location.line or 0)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "file": self.location.path,
            "severity": self.severity.value,
            "code": self.code,
            "key": self.key,
            "line": self.location.line,
            "message": self.message,
        }
        if self.rules:
            d["rules"] = list(self.rules)
        return d

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"


class KgbuildError(Exception):
    """Work on one input, or one command, cannot continue.

    The CLI alone decides the exit code each kind of error gives (``kgbuild.cli``).
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputUnreadable(KgbuildError):
    """The input cannot be read at all (missing file, permission)."""


class NotAReport(KgbuildError):
    """The input was read, but it is no annual report (empty, binary, another text)."""


class BadQuery(KgbuildError):
    """A SPARQL query, or its parameters, that cannot be asked as given."""
