"""A build as files a statistician opens: a wide and a long CSV, their CSVW description, a codebook.

Only the reports the dataset holds are exported (no copy, no older version,
see :mod:`kgbuild.build.versions`); each row names every file the report was
found in. The values come from the parser's JSON that each worker wrote
beside the report's graph (``reports/<id>.json``), one report at a time, so
an export of any size runs in little memory. Numbers are written as numbers:
counts as integers, money as the exact decimal in 万元, metrics (see
:mod:`kgbuild.metrics`) to 12 decimal places.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import rdflib

from .build.folder import BuildFolder
from .build.results import InputResult
from .divisions import ancestors, divisions
from .errors import InputUnreadable
from .metrics import Metric, metrics
from .resources import ontology_files
from .statute import TABLES, VERSIONS, CellKey, Kind, cell_keys, column_kind

REPORT_COLUMNS = (
    "report", "sources", "agency", "division", "province", "level", "year", "form", "published", "status",
)  # fmt: skip
LONG_COLUMNS = ("report", "agency", "year", "key", "value", "inferred_by", "placed", "line")
_CODE = "https://w3id.org/kgbuild/code/"


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    reports: int
    cells: int
    files: tuple[Path, ...]

    def to_dict(self) -> dict[str, object]:
        return {"reports": self.reports, "cells": self.cells, "files": [str(f) for f in self.files]}


def all_keys() -> list[str]:
    """Every cell key of both forms, the 2019 form's order first."""
    return list(dict.fromkeys(k for v in VERSIONS for k in cell_keys(v)))


@cache
def _labels() -> dict[str, dict[str, str]]:
    """Each code's preferred labels by language, from the code lists."""
    g = rdflib.Graph()
    for f in ontology_files():
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    out: dict[str, dict[str, str]] = {}
    for s, label in g.subject_objects(rdflib.SKOS.prefLabel):
        if isinstance(label, rdflib.Literal) and label.language:
            out.setdefault(str(s), {})[label.language] = str(label)
    return out


def key_label(key: str, lang: str) -> str:
    """A cell's name in one language: its row's label, then its column's."""
    k = CellKey.parse(key)
    table = TABLES[k.table]
    row = _labels().get(f"{_CODE}{table.row_scheme}/{k.row}", {}).get(lang, k.row)
    column = _labels().get(f"{_CODE}{table.column_scheme}/{k.column}", {}).get(lang, k.column)
    return f"{row} · {column}"


def _forms(key: str) -> str:
    return " ".join(v for v in VERSIONS if key in cell_keys(v))


def _unit(key: str) -> str:
    return {Kind.COUNT: "count", Kind.CHANGE: "signed change", Kind.MONEY: "万元 (CNY × 10^4)"}[column_kind(key)]


def _number(value: object) -> object:
    """A metric to 12 places, without trailing zeros; anything else as the JSON holds it."""
    return format(round(value, 12).normalize(), "f") if isinstance(value, Decimal) else value


def _held(folder: BuildFolder) -> tuple[list[InputResult], dict[str, list[str]]]:
    """The reports the dataset holds, and for each the inputs that are copies of it."""
    manifest = folder.read_manifest()
    if manifest is None:
        raise InputUnreadable("no build here (no manifest.json): run `kgbuild build` first", str(folder.path))
    inputs = [InputResult.from_dict(d) for d in manifest.get("inputs", [])]
    copies: dict[str, list[str]] = {}
    for i in inputs:
        if i.status == "copy" and i.canonical:
            copies.setdefault(i.canonical, []).append(i.source)
    return [i for i in inputs if i.is_report and i.file], copies


def rows(built: str | Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each held report: its wide row (named cells and metrics), and its parser JSON."""
    folder = BuildFolder(built)
    held, copies = _held(folder)
    for i in sorted(held, key=lambda i: i.source):
        parsed = json.loads((folder.path / str(i.file)).with_suffix(".json").read_text(encoding="utf-8"))
        code = parsed.get("division")
        province = next((d for d in [*ancestors(code), divisions().get(code)] if d and d.level == "province"), None)
        row: dict[str, Any] = {
            "report": (i.graph or "").replace("/graph/", "/report/"),
            "sources": " | ".join([parsed.get("source") or i.source, *copies.get(i.source, [])]),
            "agency": parsed.get("agency"),
            "division": code,
            "province": province.name if province else None,
            "level": divisions()[code].level if code in divisions() else None,
            "year": parsed.get("year"),
            "form": parsed.get("version"),
            "published": parsed.get("published"),
            "status": i.status,
        }
        cells = parsed.get("cells", {})
        row.update({k: cells.get(k) for k in all_keys()})
        values = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in cells.items()}
        row.update({m.name: _number(m.compute(values)) for m in metrics()})
        yield row, parsed


def export(built: str | Path, to: str | Path) -> Exported:
    """Write ``wide.csv``, ``long.csv``, ``csv-metadata.json`` (CSVW) and ``codebook.md`` into ``to``."""
    out = Path(to)
    out.mkdir(parents=True, exist_ok=True)
    wide_columns = [*REPORT_COLUMNS, *all_keys(), *(m.name for m in metrics())]
    reports = cells = 0
    with (
        open(out / "wide.csv", "w", encoding="utf-8", newline="") as wide_file,
        open(out / "long.csv", "w", encoding="utf-8", newline="") as long_file,
    ):
        wide = csv.DictWriter(wide_file, wide_columns, lineterminator="\n")
        long = csv.DictWriter(long_file, LONG_COLUMNS, lineterminator="\n")
        wide.writeheader()
        long.writeheader()
        for row, parsed in rows(built):
            wide.writerow(row)
            reports += 1
            inferred = set(parsed.get("inferred", []))
            placed = parsed.get("placed", {})
            sources = parsed.get("sources", {})
            for key, value in parsed.get("cells", {}).items():
                if value is None:
                    continue
                rules = sorted(_rules(parsed, key)) if key in inferred else []
                long.writerow(
                    {
                        "report": row["report"],
                        "agency": row["agency"],
                        "year": row["year"],
                        "key": key,
                        "value": value,
                        "inferred_by": " ".join(str(r) for r in rules),
                        "placed": placed.get(key),
                        "line": sources.get(key, {}).get("line"),
                    }
                )
                cells += 1
    (out / "csv-metadata.json").write_text(
        json.dumps(csvw(wide_columns), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "codebook.md").write_text(codebook(), encoding="utf-8")
    files = tuple(out / f for f in ("wide.csv", "long.csv", "csv-metadata.json", "codebook.md"))
    return Exported(reports, cells, files)


def _rules(parsed: dict[str, Any], key: str) -> set[int]:
    """The balance rules that fixed an inferred cell, from its report's inferred-cell issue."""
    return {r for issue in parsed.get("issues", []) if issue.get("key") == key for r in issue.get("rules", [])}


_REPORT_TYPES = {
    "report": ("anyURI", "报告", "report IRI"),
    "sources": ("string", "来源文件", "source files (the report's, then its copies')"),
    "agency": ("string", "机关", "agency"),
    "division": ("string", "行政区划代码", "GB/T 2260 division code"),
    "province": ("string", "省级行政区", "province"),
    "level": ("string", "行政区划级别", "division level"),
    "year": ("integer", "年度", "reporting year"),
    "form": ("string", "统计表格式", "statutory form"),
    "published": ("date", "发布日期", "publication date"),
    "status": ("string", "解析状态", "parse status: ok, or partial (with errors)"),
}


def csvw(wide_columns: list[str]) -> dict[str, object]:
    """The CSVW metadata of both files: titles in Chinese and English, datatypes, units."""

    def column(name: str) -> dict[str, object]:
        if name in _REPORT_TYPES:
            datatype, zh, en = _REPORT_TYPES[name]
            return {"name": name, "titles": {"zh": zh, "en": en}, "datatype": datatype}
        metric = next((m for m in metrics() if m.name == name), None)
        if metric:
            return {
                "name": name,
                "titles": {"zh": metric.label_zh, "en": metric.label_en},
                "datatype": "decimal",
                "dc:description": metric.definition,
            }
        kind = column_kind(name)
        return {
            "name": name,
            "titles": {"zh": key_label(name, "zh"), "en": key_label(name, "en")},
            "datatype": "decimal" if kind is Kind.MONEY else "integer",
            "schema:unitText": _unit(name),
        }

    long_types = {"report": "anyURI", "year": "integer", "line": "integer", "value": "decimal"}
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": {"@value": "政府信息公开工作年度报告 统计表", "@language": "zh"},
        "tables": [
            {
                "url": "wide.csv",
                "dc:title": "One row per report: every cell of both forms, and the metrics",
                "tableSchema": {"columns": [column(c) for c in wide_columns], "primaryKey": "report"},
            },
            {
                "url": "long.csv",
                "dc:title": "One row per determined cell",
                "tableSchema": {
                    "columns": [{"name": c, "datatype": long_types.get(c, "string")} for c in LONG_COLUMNS],
                    "primaryKey": ["report", "key"],
                },
            },
        ],
    }


def codebook() -> str:
    """Every cell key of both forms and every metric: labels, unit, forms, formula."""
    lines = [
        "# Codebook",
        "",
        "Every cell of the statutory tables, by its key (`table.row.column`), and every metric.",
        "Generated by `kgbuild export` from the code lists and `ontology/metrics.ttl`.",
        "",
        "## Cells",
        "",
        "| key | 中文 | English | unit | forms |",
        "|---|---|---|---|---|",
    ]
    for key in all_keys():
        lines.append(f"| `{key}` | {key_label(key, 'zh')} | {key_label(key, 'en')} | {_unit(key)} | {_forms(key)} |")
    lines += ["", "## Metrics", "", "| name | 中文 | English | formula |", "|---|---|---|---|"]
    for m in metrics():
        lines.append(f"| `{m.name}` | {m.label_zh} | {m.label_en} | {formula(m)} |")
    return "\n".join(lines) + "\n"


def formula(m: Metric) -> str:
    def side(terms: tuple[tuple[int, str], ...]) -> str:
        text = " ".join(f"{'−' if sign < 0 else '+'} `{key}`" for sign, key in terms)
        return text.removeprefix("+ ")

    return f"({side(m.numerator)}) / ({side(m.denominator)})"
