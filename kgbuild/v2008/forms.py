"""The provincial forms of 2008–2018, declared as data.

Each form is a TOML file (``kgbuild/data/forms-2008/``): its title words, its
printed columns, its rows in printed order with their label variants and
units, and its balance rules. A province's form is added as a file, not as
code; :func:`forms` also reads the files of the folders named in the
environment variable ``KGBUILD_FORMS_2008`` (separated by ``os.pathsep``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import KgbuildError

FOLDER = Path(__file__).resolve().parent.parent / "data" / "forms-2008"
TABLE = "P"
"""The one logical table of version 2008, whatever the form: keys are ``P.<row>.<column>``."""
COLUMNS = ("year", "cum")
"""The column keys of version 2008: the reporting year, and 历年累计."""
MONEY_UNITS = ("元", "万元", "亿元")


@dataclass(frozen=True)
class Row:
    key: str
    """The row key of FORMAT-2008.md §3: ``requests.channel.in_person``."""
    labels: tuple[str, ...]
    """The words of its label, longest first, without ordinals (其中：1.)."""
    unit: str
    """条, 件, 人次 or a money unit (元)."""
    optional: bool = False
    """Some years of the form leave the row out (Fujian v2's fee row)."""

    @property
    def money(self) -> bool:
        return self.unit in MONEY_UNITS


@dataclass(frozen=True)
class Rule:
    id: str
    """A1, A2, W1… of FORMAT-2008.md §4."""
    total: str
    parts: tuple[str, ...]
    relation: str
    """``equal``: the total is the sum of the parts (an error when broken);
    ``at-least``: the parts are "of which" rows (a warning)."""


@dataclass(frozen=True)
class Form:
    name: str
    """``fujian-v1``, ``fujian-v2``, ``shanghai``…"""
    title: str
    """Words of the table's title, which also mark where the table starts."""
    columns: tuple[str, ...]
    """The printed value columns after the unit: a column key, or "" for one not kept."""
    marks: tuple[str, ...]
    """Label words that tell this form from the others that share its rows."""
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]
    source: str
    """The file it was read from."""

    @property
    def kept(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c)


def _form(path: Path) -> Form:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        rows = tuple(
            Row(r["key"], tuple(sorted(r["labels"], key=len, reverse=True)), r["unit"], bool(r.get("optional")))
            for r in data["rows"]
        )
        rules = tuple(
            Rule(r["id"], r["total"], tuple(r["parts"]), r.get("relation", "equal")) for r in data.get("rules", ())
        )
        form = Form(
            name=data["form"],
            title=data["title"],
            columns=tuple(data["columns"]),
            marks=tuple(data.get("marks", ())),
            rows=rows,
            rules=rules,
            source=str(path),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as e:
        raise KgbuildError(f"not a form of 2008–2018: {type(e).__name__}: {e}", str(path)) from None
    keys = {r.key for r in rows}
    for column in form.columns:
        if column and column not in COLUMNS:
            raise KgbuildError(f"column {column!r} is none of {', '.join(COLUMNS)}", str(path))
    for rule in rules:
        unknown = sorted({rule.total, *rule.parts} - keys)
        if unknown:
            raise KgbuildError(f"rule {rule.id} names rows the form lacks: {', '.join(unknown)}", str(path))
        if rule.relation not in ("equal", "at-least"):
            raise KgbuildError(f"rule {rule.id}: relation {rule.relation!r} is not equal or at-least", str(path))
    return form


@cache
def _forms(folders: tuple[Path, ...]) -> tuple[Form, ...]:
    out: dict[str, Form] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            form = _form(path)
            out[form.name] = form  # a later folder's form of the same name replaces the bundled one
    return tuple(out.values())


def forms() -> tuple[Form, ...]:
    """The bundled forms, then those of the folders in ``KGBUILD_FORMS_2008``."""
    extra = tuple(Path(p) for p in os.environ.get("KGBUILD_FORMS_2008", "").split(os.pathsep) if p)
    return _forms((FOLDER, *extra))
