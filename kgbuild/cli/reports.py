"""``kgbuild parse`` and ``kgbuild link``: what the parser reads in reports."""

from __future__ import annotations

import sys

import click

from ..errors import KgbuildError
from ..parse import parse
from ..render import render
from .common import cli, command, emit, exit_code, format_option

CELL_COLUMNS = ("source", "key", "value", "inferred_by", "placed", "line", "text")


@command(
    cli,
    "parse",
    {
        0: "every file is a report, parsed with no error",
        1: "a file is no report, or a report has errors (a missing or short row, a broken balance rule)",
        2: "the command was given wrongly",
        3: "a file is missing or unreadable",
    },
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option()
@click.option("--json", "as_json", is_flag=True, help="The parser's JSON, one object per file (same as --format json).")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected failure.")
def parse_cmd(files: tuple[str, ...], fmt: str, as_json: bool, debug: bool) -> None:
    """Read annual reports into the canonical cell model.

    Prints each report's agency, year, statutory version and three tables,
    marking cells the source leaves undetermined (·) and cells a balance
    rule fixed (*), then every issue found. A number the source does not
    show is never guessed. --format json prints the parser's JSON of
    FORMAT.md, one object a line (money is a decimal string in 万元, as
    FORMAT.md fixes it); --format csv one row per cell.

    \b
    Examples:
      kgbuild parse examples/xia-2020.txt
      kgbuild parse examples/*.txt --format json > reports.jsonl
      kgbuild parse examples/*.txt --format csv > cells.csv
    """
    fmt = "json" if as_json else fmt
    worst = 0
    csv_rows: list[dict[str, object]] = []
    for i, path in enumerate(files):
        try:
            report = parse(path)
        except KgbuildError as e:
            click.echo(f"error: {e}", err=True)
            if fmt == "json":
                emit([{"source": path, "error": e.message}], (), "json", lines=True)
            worst = max(worst, exit_code(e))
            continue
        except Exception as e:  # a bug of ours: say so, keep the batch going
            if debug:
                raise
            click.echo(
                f"error: {path}: kgbuild failed on this file ({type(e).__name__}: {e}); "
                "rerun with --debug for the traceback",
                err=True,
            )
            worst = max(worst, 3)
            continue
        if fmt == "json":
            emit([report], (), "json", lines=True)
        elif fmt == "csv":
            csv_rows += [
                {"source": path, "key": k, "value": c.json_value(), "inferred_by": c.inferred_by, "placed": c.placed,
                 "line": c.line, "text": c.text}
                for k, c in report.cells.items()
            ]  # fmt: skip
        else:
            if i:
                click.echo()
            click.echo(render(report))
        if report.errors:
            worst = max(worst, 1)
    if fmt == "csv":
        emit(csv_rows, CELL_COLUMNS, "csv")
    sys.exit(worst)


@command(
    cli,
    "link",
    {
        0: "every input is a report",
        1: "an input is no report",
        2: "the command was given wrongly",
        3: "an input is missing or unreadable",
    },
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--report", "only_unlinked", is_flag=True, help="List only agencies with no division, or several.")
@format_option()
def link_cmd(inputs: tuple[str, ...], only_unlinked: bool, fmt: str) -> None:
    """Show the administrative division (GB/T 2260) each report's agency is linked to.

    INPUTS are report files and folders. The division comes from the agency's
    name (海东市化隆县 → 630224 化隆回族自治县), and where the name fits several
    divisions (朝阳区), from the provinces and cities the report names. An
    agency with no single fit is not linked; --report lists those, with the
    candidates that were left.

    \b
    Example:
      kgbuild link reports/ --report
    """
    from ..build.inputs import iter_inputs
    from ..divisions import divisions, resolve
    from .common import existing

    existing(inputs)
    rows = []
    worst = 0
    for path in iter_inputs(inputs):
        try:
            report = parse(path)
        except KgbuildError as e:
            click.echo(f"error: {e}", err=True)
            worst = max(worst, exit_code(e))
            continue
        row = {"file": str(path), "agency": report.agency, "division": report.division, "name": None, "note": None}
        if report.division:
            if only_unlinked:
                continue
            row.update(name=divisions()[report.division].name, note=report.office)
        else:
            fit = resolve(report.agency) if report.agency else None
            names = ", ".join(f"{c} {divisions()[c].name}" for c in fit.candidates) if fit else ""
            row["note"] = f"ambiguous: {names}" if names else "no division fits the name"
        rows.append(row)
    emit(rows, ("file", "agency", "division", "name", "note"), fmt)
    sys.exit(worst)
