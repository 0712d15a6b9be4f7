"""``kgbuild validate`` and ``kgbuild export-csv``: what a build holds, checked and exported."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click
import rdflib
from pyoxigraph import NamedNode, Store

from ..errors import KgbuildError, Severity
from ..shacl import ValidationReport
from .common import base_iri_option, cli, command, emit, existing, format_option

ISSUE_COLUMNS = ("file", "line", "severity", "code", "key", "message")


@command(
    cli,
    "validate",
    {
        0: "no SHACL violation, and every input is a report with no error",
        1: "a SHACL violation (a balance rule, the structure), a report with errors, or an input that is no report",
        2: "the command was given wrongly",
        3: "an input is missing or unreadable, the dump is no N-Quads, or --report cannot be written",
    },
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@format_option()
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the SHACL validation report (Turtle).")
@base_iri_option
def validate_cmd(inputs: tuple[str, ...], fmt: str, report: str | None, base_iri: str) -> None:
    """Check reports against the SHACL shapes: structure and balance rules.

    INPUTS are a build's output folder (or its kgbuild.nq), or report files
    and folders, parsed on the spot. The shapes in shapes/ check each report's
    structure, its codes and values, the balance rules 1-5 (勾稽关系) within a
    report, and rules 6-7 across one agency's consecutive years. For a build
    folder whose validation.ttl is current, its results are read, not run
    again.

    Prints one issue per line, errors first: the parser's errors and warnings
    (a short row, a blank no rule fixes) and the SHACL results, as the bundled
    query `issues` lists them (`kgbuild query issues` gives the same), then a
    count. --format csv and json give the same issues as rows.

    \b
    Examples:
      kgbuild validate out/
      kgbuild validate reports/ --format csv > issues.csv
    """
    from ..rdf import Iris
    from ..validate import issues_in

    existing(inputs)
    store, results, failures = _validated(inputs, base_iri)
    for e in failures:
        click.echo(f"error: {e}", err=True)
    issues = issues_in(store)
    if report:
        try:
            Path(report).write_bytes(results.to_turtle(Iris(base_iri).validation))
        except OSError as e:
            raise KgbuildError(f"cannot write the validation report: {e.strerror or e}", report) from None
    if fmt == "table":
        for issue in issues:
            click.echo(str(issue))
        errors = sum(1 for i in issues if i.severity is Severity.ERROR)
        click.echo(f"{errors} errors, {len(issues) - errors} warnings")
    else:
        emit(issues, ISSUE_COLUMNS, fmt)
    sys.exit(1 if failures or any(i.severity is Severity.ERROR for i in issues) else 0)


def _validated(inputs: tuple[str, ...], base_iri: str) -> tuple[Store, ValidationReport, list[KgbuildError]]:
    """A store holding the data and its SHACL validation report; the report; inputs that are no report."""
    from ..build import BuildFolder, made_by, memory_store, parsed_store
    from ..rdf import Iris
    from ..validate import validate_store

    failures: list[KgbuildError] = []
    path = Path(inputs[0])
    folder = BuildFolder(path)
    if len(inputs) == 1 and path.is_dir() and folder.current(made_by(base_iri)):
        # The build ran the shapes and loaded their results: read them, do not run them again.
        graph = rdflib.Graph().parse(folder.validation, format="turtle")
        return folder.data(), ValidationReport.from_graph(graph), []
    if len(inputs) == 1 and ((path.is_dir() and BuildFolder.is_build(path)) or path.suffix == ".nq"):
        store = memory_store(path)
        for g in list(store.named_graphs()):  # the results of another kgbuild's, or base's, validation
            if isinstance(g, NamedNode) and g.value.endswith("/graph/validation"):
                store.remove_graph(g)
    else:
        store, failures = parsed_store(inputs, base_iri)
    results = validate_store(store)
    iris = Iris(base_iri)
    store.extend(results.quads(iris.validation, iris.validation_graph))
    return store, results, failures


@command(
    cli,
    "export",
    {
        0: "the files were written",
        2: "the command was given wrongly",
        3: "BUILT is missing or holds no build, or DIR cannot be written",
    },
)
@click.argument("built", type=click.Path())
@click.option("--to", "to", required=True, type=click.Path(file_okay=False), help="The folder to write the files into.")
@format_option()
def export_cmd(built: str, to: str, fmt: str) -> None:
    """Export a build for statistics: wide and long CSV, CSVW metadata, a codebook.

    BUILT is a build's output folder. Writes into DIR:

    \b
      wide.csv           one row per report the dataset holds (no copy, no
                         older version): report IRI, source files, agency,
                         division, province, level, year, form, publication
                         date, status, every cell of both forms as a column
                         (T3.new.total), and the metrics of ontology/metrics.ttl
      long.csv           one row per determined cell: report, agency, year,
                         key, value, the balance rules that fixed it, source line
      csv-metadata.json  CSVW: titles in Chinese and English, datatypes, units
      codebook.md        every key and metric: labels, unit, forms, formula

    Counts are integers, money the exact decimal in 万元, a blank a cell the
    source does not determine.

    \b
    Example:
      kgbuild export out/ --to export/
    """
    from ..export import export

    existing([built])
    try:
        done = export(built, to)
    except OSError as e:
        raise KgbuildError(f"cannot write the export: {e.strerror or e}", to) from None
    if fmt == "table":
        click.echo(f"{done.reports} reports, {done.cells} cells → {', '.join(str(f) for f in done.files)}")
    else:
        emit([done], ("reports", "cells", "files"), fmt)


@command(
    cli,
    "export-csv",
    {
        0: "every determined cell was written",
        2: "the command was given wrongly",
        3: "BUILT is missing, or holds no build",
    },
)
@click.argument("built", type=click.Path())
@click.option("--out", "-o", type=click.File("w", encoding="utf-8"), default="-", help="CSV file (default: stdout).")
@format_option(default="csv")
def export_csv_cmd(built: str, out: TextIO, fmt: str) -> None:
    """Write every determined cell: file, key, value.

    BUILT is a build's output folder (or its kgbuild.nq). Runs
    queries/cells.rq, the tidy table researchers ask for first.

    \b
    Example:
      kgbuild export-csv out/ -o cells.csv
    """
    from ..build import data_store
    from ..output import write
    from ..resources import query_text
    from ..store import OxigraphStore

    existing([built])
    results = OxigraphStore(store=data_store(built)).select(query_text("cells"))
    write(results.to_dict(), results.variables, fmt, out)
