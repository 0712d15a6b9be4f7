"""The ``kgbuild`` command: a thin layer of click over the library."""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .errors import KgbuildError
from .parse import parse
from .render import render

EXIT_CODES = """\b
Exit codes:
  0  every input parsed with no error
  1  an input is invalid: not a report, or a report with errors
     (a missing or short row, a broken balance rule)
  2  usage error
  3  could not run: a file is missing or unreadable"""


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="kgbuild")
def cli() -> None:
    """Publish China's open-government-information annual reports
    (政府信息公开工作年度报告) as linked data.

    Start with `kgbuild parse REPORT` to see what a report's tables hold.
    """


@cli.command("parse", epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the parser's JSON: one object per file (JSON Lines).")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected failure.")
def parse_cmd(files: tuple[str, ...], as_json: bool, debug: bool) -> None:
    """Read annual reports into the canonical cell model.

    Prints each report's agency, year, statutory version and three tables,
    marking cells the source leaves undetermined (·) and cells a balance
    rule fixed (*), then every issue found. A number the source does not
    show is never guessed.

    \b
    Examples:
      kgbuild parse examples/xia-2020.txt
      kgbuild parse examples/*.txt --json > reports.jsonl
    """
    worst = 0
    for i, path in enumerate(files):
        try:
            report = parse(path)
        except KgbuildError as e:
            click.echo(f"error: {e}", err=True)
            if as_json:
                click.echo(json.dumps({"source": path, "error": e.message}, ensure_ascii=False))
            worst = max(worst, e.exit_code)
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
        if as_json:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            if i:
                click.echo()
            click.echo(render(report))
        if report.errors:
            worst = max(worst, 1)
    sys.exit(worst)
