"""Parse one report: read → recognise tables → cell model, with the balance rules."""

from __future__ import annotations

from pathlib import Path

from . import balance
from .cells import assign
from .divisions import link
from .errors import Issue, Location, Severity
from .metadata import read_metadata
from .model import Cell, Report, unexplained_nulls
from .narrative import sections
from .read import Document, read
from .recognise import Recognised, recognise
from .statute import VERSIONS, CellKey, cell_keys
from .v2008 import LAST_YEAR, parse_2008, prose_check


def parse(source: str | Path | bytes, name: str | None = None) -> Report:
    """Parse an annual report into the canonical cell model.

    :param source: a file path, or the input bytes.
    :param name: what to call the input in the report and in messages.
    :returns: the :class:`Report`; bad content is recorded in ``report.issues``.
    :raises InputUnreadable: the file cannot be read.
    :raises NotAReport: the input is empty, binary, or no annual report (of 2019 on without its
        statutory tables; of 2008–2018 neither a provincial form nor a 年度报告 title).
    """
    return parse_document(read(source, name))


def parse_document(doc: Document) -> Report:
    """Parse a document already read (see :func:`kgbuild.read.read`)."""
    path = doc.source
    found = recognise(doc)
    if not found.tables or (found.version is None and _titled_before_2019(doc)):
        # A report of 2008–2018 (a provincial form, or prose), or no report at all.
        return parse_2008(doc)
    issues: list[Issue] = []
    regions = found.regions
    starts = [i for i in (regions.t2, regions.t3, regions.t4) if i is not None]
    meta = read_metadata(doc.lines, min(starts), regions.end)
    if meta.agency is None:
        issues.append(Issue("missing-agency", "the report's title names no agency", Severity.WARNING, Location(path)))
    if meta.year is None:
        issues.append(Issue("missing-year", "the report's title names no year", Severity.ERROR, Location(path)))

    division, unlinked = link(meta.agency, " ".join(line.text for line in doc.lines), path)
    issues += unlinked
    version = _version(found, meta.year, path, issues)
    for table in ("T2", "T3", "T4"):
        if table not in found.tables:
            issues.append(
                Issue("missing-table", f"table {table} was not found", Severity.ERROR, Location(path, table=table))
            )
    prose = sections(doc.lines, (meta.title_index or -1) + 1, (min(starts), regions.end))
    cells, cell_issues = assign(found, version, path)
    issues += cell_issues
    cells = _balance(version, cells, path, issues)
    issues += prose_check(prose, cells, meta.year, path)
    ordered = {k: cells[k] for k in cell_keys(version) if k in cells}
    return Report(
        source=path,
        sha256=doc.sha256,
        agency=meta.agency,
        year=meta.year,
        version=version,
        published=meta.published,
        cells=ordered,
        issues=tuple(sorted(issues, key=Issue.order)),
        encoding=doc.encoding,
        form=doc.form,
        tables=tuple(sorted(found.tables)),
        sections=prose,
        division=division.code if division else None,
        office=division.office if division else None,
    )


def _titled_before_2019(doc: Document) -> bool:
    """Whether the title names a year before the statutory tables (a provincial table's
    rows can read like table 2's: 主动公开信息数)."""
    year = read_metadata(doc.lines, len(doc.lines), len(doc.lines)).year
    return year is not None and year <= LAST_YEAR


def _version(found: Recognised, year: int | None, path: str | None, issues: list[Issue]) -> str:
    """The statutory version, from the tables' own words; the year only as a last resort."""
    if found.version:
        return found.version
    guess = VERSIONS[-1] if year and year >= 2021 else VERSIONS[0]
    issues.append(
        Issue(
            "unknown-version",
            f"the tables do not show which statutory version they follow; read as {guess} from the year",
            Severity.WARNING,
            Location(path),
        )
    )
    return guess


def _balance(version: str, cells: dict[str, Cell], path: str | None, issues: list[Issue]) -> dict[str, Cell]:
    """Check rules 1-5 on the printed values, then fill the blanks they fix."""
    counts = {k: c.value for k, c in cells.items() if not k.startswith("T2.")}
    eqs = balance.equations(version, counts)
    values: dict[str, int | None] = {k: v if isinstance(v, int) else None for k, v in counts.items()}
    violations = balance.check(eqs, values)
    for v in violations:
        eq = v.equation
        issues.append(
            Issue(
                "balance-violation",
                v.describe(values),
                Severity.ERROR,
                Location(path, cells[eq.left[0]].line, eq.table, eq.row, eq.column),
                (eq.rule,),
            )
        )
    broken = {v.equation.table for v in violations}
    out = dict(cells)
    for table in ("T3", "T4"):
        if table in broken:
            continue  # values fixed by rules the report breaks would be guesses
        table_eqs = [e for e in eqs if e.table == table]
        try:
            fixed = balance.infer(table_eqs, values)
        except balance.Infeasible as e:
            issues.append(
                Issue(
                    "inference-conflict",
                    f"table {table}: no non-negative values fill its blanks ({e}); nothing inferred",
                    Severity.WARNING,
                    Location(path, table=table),
                )
            )
            continue
        for key, (value, rules) in fixed.items():
            old = out[key]
            out[key] = Cell(key, value, old.text, old.line, tuple(sorted(rules)))
            k = CellKey.parse(key)
            names = ", ".join(str(r) for r in sorted(rules))
            issues.append(
                Issue(
                    "inferred-cell",
                    f"{key} = {value}, fixed by balance rule{'s' if len(rules) > 1 else ''} {names}"
                    " and non-negative counts",
                    Severity.INFO,
                    Location(path, old.line, k.table, k.row, k.column),
                    tuple(sorted(rules)),
                )
            )
    issues += unexplained_nulls(out, issues, path)
    return out
