"""The ``kgbuild`` command: a thin layer of click over the library."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import NoReturn, TextIO

import click

from . import __version__
from .build import JOURNAL, MAX_BYTES, TIMEOUT, Progress
from .build import build as build_dataset
from .errors import InputUnreadable, KgbuildError
from .parse import parse
from .rdf import DEFAULT_BASE
from .render import render
from .store import OxigraphStore, SparqlStore, export_csv, graph_store, load
from .validate import located, validate_store

EXIT_CODES = """\b
Exit codes:
  0  every input parsed with no error
  1  an input is invalid: not a report, or a report with errors
     (a missing or short row, a broken balance rule)
  2  usage error
  3  could not run: a file is missing or unreadable
  130  stopped by Ctrl-C (build: run it again to go on)"""


def _fail(e: KgbuildError) -> NoReturn:
    """One line that names the file and what went wrong, and the exit code that says so."""
    click.echo(f"error: {e}", err=True)
    sys.exit(e.exit_code)


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


def base_iri_option(fn):  # type: ignore[no-untyped-def]
    return click.option(
        "--base-iri",
        default=DEFAULT_BASE,
        show_default=True,
        help="Where the data's IRIs live: reports, agencies, observations.",
    )(fn)


class _LogProgress:
    """Progress as plain log lines, for a build whose stderr is no terminal (a log file, CI)."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.started = self.last = time.monotonic()

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate = p.done / elapsed
        # Time left at the pace of parsed inputs: reused ones (a resumed build's first part) take none.
        parsed = (p.done - p.reused) / elapsed
        left = (p.total - p.done) / parsed if parsed else 0
        click.echo(
            f"kgbuild: {p.done}/{p.total} inputs, {p.failed} failed, {p.reused} reused, "
            f"{rate:.0f} inputs/s, {_duration(left)} left",
            err=True,
        )

    def close(self) -> None:
        pass


class _BarProgress:
    """A progress bar on a terminal: inputs/s, failures so far, time left."""

    def __init__(self, file: TextIO | None = None) -> None:
        from tqdm import tqdm

        self.bar = tqdm(unit=" inputs", dynamic_ncols=True, smoothing=0.1, file=file)

    def __call__(self, p: Progress) -> None:
        self.bar.total = p.total
        self.bar.set_postfix(failed=p.failed, reused=p.reused, refresh=False)
        self.bar.update(p.done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


@cli.command("build", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--out", "-o", default="out", show_default=True, type=click.Path(file_okay=False), help="Output folder.")
@base_iri_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that parse, map and check reports  [default: one per core].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=TIMEOUT,
    show_default=True,
    help="Seconds one input may take; a slower one is stopped and listed as failed.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=MAX_BYTES // 2**20,
    show_default=True,
    help="Megabytes; a larger input is listed as failed, unread.",
)
@click.option("--prune", is_flag=True, help="Drop reports an earlier build into OUT had and INPUTS no longer hold.")
@click.option("--rebuild", is_flag=True, help="Parse every input again, even those an earlier build into OUT parsed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress, only errors and the summary.")
@click.option(
    "--log-every",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Seconds between progress lines when stderr is no terminal.",
)
def build_cmd(
    inputs: tuple[str, ...],
    out: str,
    base_iri: str,
    jobs: int | None,
    timeout: float,
    max_size: int,
    prune: bool,
    rebuild: bool,
    quiet: bool,
    log_every: float,
) -> None:
    """Parse reports and publish them as linked data.

    INPUTS are report files or folders of them (read recursively). Writes into
    OUT: one Turtle file per report (reports/), a merged Turtle dump
    (kgbuild.ttl), N-Quads with one named graph per report (kgbuild.nq), the
    ontology and code lists (ontology/), a VoID/DCAT description (void.ttl),
    the SHACL validation report (validation.ttl), the embedded store (store/),
    and manifest.json listing every input with its sha256 and status. An input
    that is no report, or that crashes or hangs its worker, is listed as failed;
    the build goes on.

    Building into the same OUT again is incremental: an input whose bytes the
    last build parsed (with this kgbuild version) is not parsed again, a
    changed file replaces its report, and reports of files no longer given
    stay unless --prune. A build that was stopped (Ctrl-C, killed) left what
    it had done in OUT/journal.jsonl: the same command goes on from there.

    Shows a progress bar on a terminal, log lines otherwise (--log-every).

    \b
    Examples:
      kgbuild build examples/ --out out/
      kgbuild build /data/reports-2024/ --out out/ --jobs 8 --prune
    """
    reporter = None if quiet else _BarProgress() if sys.stderr.isatty() else _LogProgress(log_every)
    stopped = False
    try:
        result = build_dataset(
            inputs,
            out,
            base=base_iri,
            jobs=jobs,
            timeout=timeout,
            max_bytes=max_size * 2**20,
            prune=prune,
            rebuild=rebuild,
            progress=reporter,
        )
    except KgbuildError as e:
        _fail(e)
    except KeyboardInterrupt:
        stopped = True
    finally:
        if reporter:
            reporter.close()
    if stopped:
        click.echo(f"kgbuild: stopped; what was done is kept in {Path(out) / JOURNAL}: run it again to go on", err=True)
        sys.exit(130)
    for item in result.inputs:
        if item.status == "failed":
            click.echo(f"error: {item.source}: {item.reason}", err=True)
    partial = sum(1 for i in result.inputs if i.status == "partial")
    duplicates = sum(1 for i in result.inputs if i.status == "duplicate")
    reused = f", {result.reused} unchanged since the last build" if result.reused else ""
    click.echo(
        f"{result.reports} reports ({partial} with errors), {len(result.failed)} failed, "
        f"{duplicates} duplicates{reused}; {result.observations} observations, {result.triples} triples; "
        f"SHACL: {result.violations} violations, {result.shacl_warnings} warnings → {Path(out)}/"
    )
    sys.exit(1 if result.failed or partial or result.violations else 0)


@cli.command("export-csv", epilog=EXIT_CODES)
@click.argument("built", type=click.Path(exists=True))
@click.option("--out", "-o", type=click.File("w", encoding="utf-8"), default="-", help="CSV file (default: stdout).")
def export_csv_cmd(built: str, out) -> None:  # type: ignore[no-untyped-def]
    """Write every determined cell as CSV: file, key, value.

    BUILT is a build's output folder (or its kgbuild.nq). Runs
    queries/cells.rq, the tidy table researchers ask for first.

    \b
    Example:
      kgbuild export-csv out/ -o cells.csv
    """
    try:
        export_csv(built, out)
    except KgbuildError as e:
        _fail(e)


@cli.command("validate", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="How to print the results.",
)
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the SHACL validation report (Turtle).")
@base_iri_option
def validate_cmd(inputs: tuple[str, ...], fmt: str, report: str | None, base_iri: str) -> None:
    """Check reports against the SHACL shapes: structure and balance rules.

    INPUTS are a build's output folder (or its kgbuild.nq), or report files
    and folders, parsed on the spot. The shapes in shapes/ check each report's
    structure, its codes and values, the balance rules 1-5 (勾稽关系) within a
    report, and rules 6-7 across one agency's consecutive years. Prints one
    row per result: file, rule, cell, message. Exits 1 on any violation
    (rule 7 results are warnings).

    \b
    Examples:
      kgbuild validate out/
      kgbuild validate reports/ --format csv > violations.csv
    """
    store, failures = graph_store(inputs, base_iri)
    for e in failures:
        click.echo(f"error: {e}", err=True)
    result = validate_store(store)
    rows = located(store, result.findings)
    if report:
        from .rdf import Iris

        Path(report).write_bytes(result.to_turtle(Iris(base_iri).validation))
    columns = ["file", "rule", "cell", "line", "severity", "message"]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(click.get_text_stream("stdout"), columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            place = f"{row['file']}:{row['line']}" if row["line"] else str(row["file"])
            click.echo(f"{place}\trule {row['rule']}\t{row['cell'] or ''}\t{row['severity']}: {row['message']}")
        violations = len(result.violations)
        click.echo(f"{violations} violations, {len(rows) - violations} warnings")
    sys.exit(1 if not result.conforms or failures else 0)


def endpoint_options(fn):  # type: ignore[no-untyped-def]
    """Where the data is: the embedded store, or a SPARQL 1.1 server."""
    for option in reversed(
        [
            click.option(
                "--store",
                "store_path",
                type=click.Path(file_okay=False),
                help="An embedded Oxigraph store (a build makes OUT/store).",
            ),
            click.option(
                "--endpoint", help="A SPARQL server's base URL, e.g. an Oxigraph server's http://127.0.0.1:7878."
            ),
            click.option(
                "--query-url", help="The SPARQL query endpoint, where a server names its own (Fuseki: …/ds/query)."
            ),
            click.option("--update-url", help="The SPARQL update endpoint (Fuseki: …/ds/update)."),
            click.option("--store-url", help="The Graph Store Protocol endpoint (Fuseki: …/ds/data)."),
            click.option("--retries", default=4, show_default=True, help="Tries again on a server's passing failure."),
        ]
    ):
        fn = option(fn)
    return fn


def _open_store(store_path, endpoint, query_url, update_url, store_url, retries, default=None):  # type: ignore[no-untyped-def]
    if endpoint or query_url or store_url:
        return SparqlStore(endpoint, query_url=query_url, update_url=update_url, store_url=store_url, retries=retries)
    path = store_path or default
    if path is None:
        raise click.UsageError("name a store: --store PATH or --endpoint URL")
    return OxigraphStore(path)


@cli.command("load", epilog=EXIT_CODES)
@click.argument("dump", type=click.Path(exists=True))
@endpoint_options
def load_cmd(dump: str, store_path, endpoint, query_url, update_url, store_url, retries) -> None:  # type: ignore[no-untyped-def]
    """Load a build into a triple store, one named graph per report.

    DUMP is a build's output folder or its kgbuild.nq. Each graph replaces
    the graph of the same name, so loading twice changes nothing. A server is
    loaded through the SPARQL 1.1 Graph Store HTTP Protocol, with retries on
    transient failures; credentials come from KGBUILD_SPARQL_USER and
    KGBUILD_SPARQL_PASSWORD.

    \b
    Examples:
      kgbuild load out/ --store data/store
      kgbuild load out/ --endpoint http://127.0.0.1:7878
      kgbuild load out/ --store-url http://localhost:3030/ds/data --query-url http://localhost:3030/ds/query
    """
    if not (store_path or endpoint or store_url):
        raise click.UsageError("name where to load: --store PATH, --endpoint URL or --store-url URL")
    try:
        target = _open_store(store_path, endpoint, query_url, update_url, store_url, retries)
        from .store import graphs_of

        count = sum(1 for _ in graphs_of(dump))
        with click.progressbar(length=count, label="loading graphs", file=sys.stderr) as bar:
            loaded = load(dump, target, progress=bar.update)
    except KgbuildError as e:
        _fail(e)
    where = store_path or endpoint or store_url
    click.echo(f"{loaded} graphs loaded into {where}")


@cli.command("query", epilog=EXIT_CODES)
@click.argument("query", required=False)
@click.option("-e", "--expression", help="The SPARQL query itself, instead of a file or a name.")
@endpoint_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
    help="How to print the results.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (a string; digits an integer; <…> an IRI). Repeatable.",
)
def query_cmd(query, expression, store_path, endpoint, query_url, update_url, store_url, retries, fmt, params) -> None:  # type: ignore[no-untyped-def]
    """Ask the data a question in SPARQL.

    QUERY is a .rq file, or the name of a bundled query (see below); or give
    the query with -e. Queries see every report's graph as one default graph.
    Parameters are bound as RDF terms, never pasted into the query's text.
    Without --store or --endpoint, asks the store of the last build in out/.

    \b
    Examples:
      kgbuild query applications
      kgbuild query applications --param agency=夏县人民政府 --format csv
      kgbuild query my-question.rq --endpoint http://127.0.0.1:7878
      kgbuild query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from .resources import query_names, query_text

    if bool(query) == bool(expression):
        names = ", ".join(query_names())
        raise click.UsageError(f"give one query: a .rq file, a bundled name ({names}), or -e 'SPARQL'")
    bound: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not {p!r}")
        bound[name.lstrip("?$")] = value
    try:
        if expression:
            text = expression
        elif Path(query).is_file():
            text = Path(query).read_text(encoding="utf-8")
        else:
            text = query_text(query)
        default = "out/store" if Path("out/store").is_dir() else None
        store = _open_store(store_path, endpoint, query_url, update_url, store_url, retries, default)
        results = store.select(text, bound)
    except KgbuildError as e:
        _fail(e)
    results.write(click.get_text_stream("stdout"), fmt)


@cli.command("serve", epilog=EXIT_CODES)
@click.option(
    "--store",
    "store_path",
    default="out/store",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The embedded store to serve.",
)
@click.option("--port", default=7878, show_default=True, help="The port, on 127.0.0.1.")
def serve_cmd(store_path: str, port: int) -> None:
    """Serve the store as a SPARQL endpoint, with Oxigraph's query page.

    Runs the Oxigraph server (the `oxigraph` package) on 127.0.0.1 only; open
    http://127.0.0.1:PORT/ in a browser. Queries see all reports' graphs as
    the default graph. Stop it with Ctrl-C.
    """
    import shutil

    binary = shutil.which("oxigraph")
    if binary is None:
        _fail(KgbuildError("the oxigraph server is not installed: pip install oxigraph"))
    if not Path(store_path).is_dir():
        _fail(InputUnreadable("no store here: run `kgbuild build` first", store_path))
    click.echo(f"SPARQL endpoint: http://127.0.0.1:{port}/query  (query page: http://127.0.0.1:{port}/)", err=True)
    command = [binary, "serve", "--location", store_path, "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    sys.stderr.flush()
    os.execv(binary, command)  # the server takes this process over: signals reach it, no orphan is left


@cli.command("link", epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--report", "only_unlinked", is_flag=True, help="List only agencies with no division, or several.")
def link_cmd(inputs: tuple[str, ...], only_unlinked: bool) -> None:
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
    from .build import iter_inputs
    from .divisions import divisions, resolve

    rows = [["file", "agency", "division", "office, or why not linked"]]
    for path in iter_inputs(inputs):
        try:
            report = parse(path)
        except KgbuildError as e:
            click.echo(f"error: {e}", err=True)
            continue
        if report.division:
            if only_unlinked:
                continue
            d = divisions()[report.division]
            rows.append([path.name, report.agency or "", f"{d.code} {d.name}", report.office or ""])
            continue
        fit = resolve(report.agency) if report.agency else None
        names = ", ".join(f"{c} {divisions()[c].name}" for c in fit.candidates) if fit else ""
        note = f"ambiguous: {names}" if names else "no division fits the name"
        rows.append([path.name, report.agency or "(no agency)", "", note])
    from .render import table

    click.echo(table(rows))
