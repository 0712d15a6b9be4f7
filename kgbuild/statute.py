"""The statutory tables: which cells a report of each version has.

The two versions are fixed by the General Office of the State Council:
``2019`` (国办公开办函〔2019〕60号, reports of 2019 and 2020) and ``2021``
(国办公开办函〔2021〕30号, reports of 2021 on). A cell key is
``table.row.column`` as in FORMAT.md: ``T2.penalty.decisions``,
``T3.denied.secret.natural``, ``T4.review.upheld``.

This module is kgbuild's one source for the tables: their titles, the code
lists and properties of their dimensions, their rows, and the kind of each
column. The words that recognise a row in a report are parser knowledge and
live in :mod:`kgbuild.recognise`; the ontology (``ontology/``) publishes the
same structure as RDF, and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import NamedTuple

VERSIONS = ("2019", "2021")


class CellKey(NamedTuple):
    """A canonical cell key, ``T3.denied.secret.natural``, in its three parts.

    The row key may hold dots (``denied.secret``); table and column never do.
    """

    table: str
    row: str
    column: str

    @classmethod
    def parse(cls, key: str) -> CellKey:
        """``T3.denied.secret.natural`` → ``CellKey("T3", "denied.secret", "natural")``.

        >>> CellKey.parse("T3.denied.secret.natural").row
        'denied.secret'
        """
        table, _, rest = key.partition(".")
        row, _, column = rest.rpartition(".")
        if not (table and row and column):
            raise ValueError(f"not a cell key: {key!r}")
        return cls(table, row, column)

    def __str__(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"

    @property
    def row_key(self) -> str:
        """The row as the issues name it: ``T3.denied.secret``."""
        return f"{self.table}.{self.row}"


@dataclass(frozen=True)
class Table:
    """One statutory table, and how the ontology publishes it as a Data Cube."""

    key: str
    """``T2``, ``T3`` or ``T4``; ``P`` for the one table of 2008–2018."""
    label: str
    """Its title on the form."""
    row_scheme: str
    """The code list of its row dimension (``code:t3-row``)."""
    column_scheme: str
    row_property: str
    """The local name of its row dimension property (``ogi:t3Row``)."""
    column_property: str


TABLES: dict[str, Table] = {
    t.key: t
    for t in (
        Table("T2", "主动公开政府信息情况", "t2-row", "t2-column", "t2Row", "t2Column"),
        Table("T3", "收到和处理政府信息公开申请情况", "t3-row", "applicant", "t3Row", "applicant"),
        Table("T4", "政府信息公开行政复议、行政诉讼情况", "t4-group", "t4-outcome", "t4Group", "t4Outcome"),
    )
}
"""The three statutory tables, in form order."""

FORM_2008 = "2008"
"""Reports of 2008–2018 (FORMAT-2008.md): one logical table ``P`` whatever the province's form."""
P_TABLE = Table("P", "政府信息公开情况统计（2008–2018）", "p-row", "p-column", "pRow", "pColumn")
ALL_TABLES: dict[str, Table] = {**TABLES, "P": P_TABLE}
"""The statutory tables and the one table of version 2008."""


def tables_of(version: str) -> tuple[str, ...]:
    """The tables a report of a version has: ``T2, T3, T4``, or ``P`` for 2008."""
    return ("P",) if version == FORM_2008 else tuple(TABLES)


class Kind(StrEnum):
    """What a column holds, which decides how its text is read."""

    COUNT = "count"  # a non-negative integer
    CHANGE = "change"  # a signed integer: 增 33 / 减 232
    MONEY = "money"  # an exact decimal in 万元


@dataclass(frozen=True)
class Column:
    key: str
    """The column key of FORMAT.md (``natural``, ``decisions``, ``amount``)."""
    kind: Kind


@dataclass(frozen=True)
class Row:
    table: str
    """``T2``, ``T3`` or ``T4``."""
    key: str
    """The row key of FORMAT.md (``penalty``, ``denied.secret``, ``review``)."""
    columns: tuple[Column, ...]
    optional: bool = False
    """A row the form lets a report leave out (the 2021 其他处理 group row)."""

    def cell_key(self, column: str) -> str:
        return f"{self.table}.{self.key}.{column}"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.cell_key(c.key) for c in self.columns)


def _columns(kind: Kind, *keys: str) -> tuple[Column, ...]:
    return tuple(Column(k, kind) for k in keys)


_COUNT3_2019 = _columns(Kind.COUNT, "made", "published", "total")
_ITEMS_2019 = (Column("prev", Kind.COUNT), Column("change", Kind.CHANGE), Column("decisions", Kind.COUNT))
_COUNT3_2021 = _columns(Kind.COUNT, "issued", "repealed", "in_force")
_DECISIONS = _columns(Kind.COUNT, "decisions")

T2_ROWS: dict[str, tuple[Row, ...]] = {
    "2019": (
        Row("T2", "rules", _COUNT3_2019),
        Row("T2", "normative", _COUNT3_2019),
        Row("T2", "licensing", _ITEMS_2019),
        Row("T2", "other_services", _ITEMS_2019),
        Row("T2", "penalty", _ITEMS_2019),
        Row("T2", "coercion", _ITEMS_2019),
        Row("T2", "fees", _ITEMS_2019[:2]),
        Row("T2", "procurement", (Column("items", Kind.COUNT), Column("amount", Kind.MONEY))),
    ),
    "2021": (
        Row("T2", "rules", _COUNT3_2021),
        Row("T2", "normative", _COUNT3_2021),
        Row("T2", "licensing", _DECISIONS),
        Row("T2", "penalty", _DECISIONS),
        Row("T2", "coercion", _DECISIONS),
        Row("T2", "fees", (Column("amount", Kind.MONEY),)),
    ),
}

APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other")
"""The T3 applicant columns before ``total``: 自然人 and the five kinds of 法人或其他组织."""
T3_COLUMNS = _columns(Kind.COUNT, *APPLICANTS, "total")

DENIED = ("secret", "law", "safety", "third_party", "internal", "process", "enforcement", "query")
UNAVAILABLE = ("not_held", "to_create", "unclear")
REJECTED = ("complaint", "repeat", "publication", "excessive", "confirm")
OTHER_2021 = ("no_correction", "no_fee", "misc")


def _t3_rows(version: str) -> tuple[Row, ...]:
    keys = ["new", "carried", "granted", "partial"]
    keys += [f"denied.{k}" for k in DENIED]
    keys += [f"unavailable.{k}" for k in UNAVAILABLE]
    keys += [f"rejected.{k}" for k in REJECTED]
    rows = [Row("T3", k, T3_COLUMNS) for k in keys]
    if version == "2019":
        rows.append(Row("T3", "other", T3_COLUMNS))
    else:
        rows.append(Row("T3", "other", T3_COLUMNS, optional=True))
        rows += [Row("T3", f"other.{k}", T3_COLUMNS) for k in OTHER_2021]
    rows += [Row("T3", "total", T3_COLUMNS), Row("T3", "forward", T3_COLUMNS)]
    return tuple(rows)


T3_ROWS = {v: _t3_rows(v) for v in VERSIONS}

T4_GROUPS = ("review", "suit_direct", "suit_after_review")
"""行政复议; 行政诉讼·未经复议直接起诉; 行政诉讼·复议后起诉."""
T4_OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
T4_ROWS = tuple(Row("T4", g, _columns(Kind.COUNT, *T4_OUTCOMES)) for g in T4_GROUPS)


def rows(version: str) -> tuple[Row, ...]:
    """Every statutory row of a version, in the order the form prints them."""
    return T2_ROWS[version] + T3_ROWS[version] + T4_ROWS


def cell_keys(version: str, *, with_optional: bool = True) -> tuple[str, ...]:
    """Every canonical cell key of a version, in form order."""
    return tuple(k for r in rows(version) if with_optional or not r.optional for k in r.keys)


P_COLUMNS = ("year", "cum")
"""本年度 (or 本年累计 of a monthly form) and 历年累计."""
P_MONEY_ROWS = frozenset({"fees.charged", "fees.waived", "fees.charged_or_waived", "spending"})
"""The rows of version 2008 that count money (in 万元); every other row counts items, cases or people."""


@cache
def column_kind(key: str) -> Kind:
    """The kind of the column a cell key names, in any version."""
    table, row, column = CellKey.parse(key)
    if table == "P":
        if column not in P_COLUMNS:
            raise KeyError(key)
        return Kind.MONEY if row in P_MONEY_ROWS else Kind.COUNT
    for version in VERSIONS:
        for r in rows(version):
            if r.table == table and r.key == row:
                for c in r.columns:
                    if c.key == column:
                        return c.kind
    raise KeyError(key)
