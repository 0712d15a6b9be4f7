"""``kgbuild load``, ``kgbuild query`` and ``kgbuild serve``: the data in a triple store."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import BadQuery, KgbuildError
from ..store import OxigraphStore, SparqlStore, StoreUnavailable, load, with_prefixes
from .common import cli, command, emit, existing, format_option


@dataclass(frozen=True)
class Where:
    """Where the data is, as the options name it: an embedded store, or a SPARQL 1.1 server."""

    store_path: str | None
    endpoint: str | None
    query_url: str | None
    update_url: str | None
    store_url: str | None
    auth: str
    retries: int

    def server(self) -> SparqlStore | None:
        """The server named, if one is."""
        if not (self.endpoint or self.query_url or self.store_url):
            return None
        return SparqlStore(
            self.endpoint,
            query_url=self.query_url,
            update_url=self.update_url,
            store_url=self.store_url,
            auth=self.auth,
            retries=self.retries,
        )

    def __str__(self) -> str:
        return self.store_path or self.endpoint or self.store_url or self.query_url or ""


def endpoint_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say where the data is, handed to the command as one ``where``."""

    @functools.wraps(fn)
    def with_where(*args: Any, **kwargs: Any) -> Any:
        fields = ("store_path", "endpoint", "query_url", "update_url", "store_url", "auth", "retries")
        return fn(*args, where=Where(**{f: kwargs.pop(f) for f in fields}), **kwargs)

    for option in reversed(
        [
            click.option(
                "--store",
                "store_path",
                type=click.Path(file_okay=False),
                help="An embedded Oxigraph store, or a build folder (its store/).",
            ),
            click.option(
                "--endpoint", help="A SPARQL server's base URL, e.g. an Oxigraph server's http://127.0.0.1:7878."
            ),
            click.option(
                "--query-url",
                help="The query endpoint, where a server names its own (Virtuoso: …/sparql; Fuseki: …/ds/query).",
            ),
            click.option("--update-url", help="The SPARQL update endpoint (Fuseki: …/ds/update)."),
            click.option(
                "--store-url",
                help="The Graph Store Protocol endpoint (Virtuoso: …/sparql-graph-crud-auth; Fuseki: …/ds/data).",
            ),
            click.option(
                "--auth",
                type=click.Choice(["basic", "digest"]),
                default="basic",
                show_default=True,
                help="How the server takes KGBUILD_SPARQL_USER and KGBUILD_SPARQL_PASSWORD (Virtuoso's -auth "
                "endpoints: digest).",
            ),
            click.option("--retries", default=4, show_default=True, help="Tries again on a server's passing failure."),
        ]
    ):
        with_where = option(with_where)
    return with_where


def store_folder(path: str) -> Path:
    """A store named by itself, or by the build folder that holds it."""
    from ..build import BuildFolder

    p = Path(path)
    return BuildFolder(p).store if BuildFolder.is_build(p) and not (p / "CURRENT").is_file() else p


@command(
    cli,
    "load",
    {
        0: "every graph was loaded",
        2: "the command was given wrongly",
        3: "the dump is missing or no N-Quads, or the store or server could not be written",
    },
)
@click.argument("dump", type=click.Path())
@endpoint_options
@click.option(
    "--prune",
    is_flag=True,
    help="Then remove the store's report graphs that the build no longer has (reports deleted or replaced "
    "since the last load); graphs outside kgbuild's graph namespace are never touched.",
)
@format_option()
def load_cmd(dump: str, where: Where, prune: bool, fmt: str) -> None:
    """Load a build into a triple store, one named graph per report.

    DUMP is a build's output folder or its kgbuild.nq (any N-Quads file). It is
    read as a stream, one graph at a time, whatever its size. Each graph
    replaces the graph of the same name, so loading twice changes nothing. A
    server is loaded through the SPARQL 1.1 Graph Store HTTP Protocol, with
    retries on transient failures; credentials come from KGBUILD_SPARQL_USER
    and KGBUILD_SPARQL_PASSWORD. --store makes the store where there is none.
    For millions of reports a server's own bulk loader is faster (README:
    "SPARQL servers").

    \b
    Examples:
      kgbuild load out/ --store data/store
      kgbuild load out/ --endpoint http://127.0.0.1:7878 --prune
      kgbuild load out/ --store-url http://127.0.0.1:8890/sparql-graph-crud-auth --auth digest
      kgbuild load out/ --store-url http://localhost:3030/ds/data
    """
    if not (where.store_path or where.endpoint or where.store_url):
        raise click.UsageError("name where to load: --store PATH, --endpoint URL or --store-url URL")
    existing([dump])
    from ..build import BuildFolder

    source = BuildFolder(dump).nquads if Path(dump).is_dir() else Path(dump)
    target = where.server() or OxigraphStore(where.store_path, create=True)
    from tqdm import tqdm

    with tqdm(unit=" graphs", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:

        def advance(graphs: int) -> None:
            bar.update(graphs)

        loaded = load(source, target, progress=advance, prune=prune)
    if fmt == "table":
        pruned = f"; {len(loaded.pruned)} graphs no longer in the build removed" if prune else ""
        click.echo(f"{loaded.graphs} graphs loaded into {where}{pruned}")
    else:
        row = {"graphs": loaded.graphs, "pruned": len(loaded.pruned), "into": str(where), "dump": str(source)}
        emit([row], ("graphs", "pruned", "into", "dump"), fmt)


def _query_help() -> str:
    from ..resources import query_names, query_summary

    lines = "\n".join(f"  {name:<24}{query_summary(name)}" for name in query_names())
    return f"\n\n\b\nBundled queries:\n{lines}"


@command(
    cli,
    "query",
    {
        0: "the query was answered",
        2: "the command was given wrongly: no such bundled query, invalid SPARQL, or a --param the query lacks",
        3: "no store there, the store is held by another process, or the server cannot be reached",
    },
)
@click.argument("query", required=False)
@click.option("-e", "--expression", help="The SPARQL query itself, instead of a file or a name.")
@endpoint_options
@format_option(choices=("table", "csv", "tsv", "json"))
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (a string; digits an integer; <…> an IRI). Repeatable.",
)
def query_cmd(query: str | None, expression: str | None, where: Where, fmt: str, params: tuple[str, ...]) -> None:
    """Ask the data a question in SPARQL.

    QUERY is a .rq file, or the name of a bundled query (listed below); or
    give the query with -e. kgbuild's prefixes (ogi:, code:, qb:, skos:,
    prov:, dcterms:, xsd: …) need no PREFIX line. Queries see every report's
    graph as one default graph. SELECT prints its rows, ASK one row, CONSTRUCT
    and DESCRIBE their triples. Parameters are bound as RDF terms, never
    pasted into the query's text. Without --store or --endpoint, asks the
    store of the last build in out/ (opened read-only, so a running
    `kgbuild serve` is no obstacle).

    \b
    Examples:
      kgbuild query reports
      kgbuild query applications --param agency=夏县人民政府 --format csv
      kgbuild query my-question.rq --endpoint http://127.0.0.1:7878
      kgbuild query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s a ogi:AnnualReport }'
    """
    from ..build import BuildFolder
    from ..resources import query_names, query_text

    if bool(query) == bool(expression):
        raise click.UsageError(
            f"give one query: a .rq file, a bundled name ({', '.join(query_names())}), or -e 'SPARQL'"
        )
    bound: dict[str, str] = {}
    for p in params:
        name, sep, value = p.partition("=")
        if not sep or not name:
            raise click.UsageError(f"--param takes NAME=VALUE, not {p!r}")
        bound[name.lstrip("?$")] = value
    if expression:
        text = expression
    elif query is None:
        raise AssertionError("click gave neither")
    elif Path(query).is_file():
        text = Path(query).read_text(encoding="utf-8")
    elif query.endswith(".rq") or "/" in query:
        existing([query])
        text = ""
    else:
        try:
            text = query_text(query)
        except KgbuildError as e:
            raise BadQuery(e.message) from None
    store: SparqlStore | OxigraphStore | None = where.server()
    if store is None:
        path = where.store_path or "out"
        if where.store_path is None and not BuildFolder.is_build(path):
            raise click.UsageError("no build in out/: name a store (--store PATH) or a server (--endpoint URL)")
        store = OxigraphStore(store_folder(path))
    results = store.select(with_prefixes(text), bound)
    emit(results.to_dict(), results.variables, fmt)


query_cmd.help = (query_cmd.help or "") + _query_help()


@command(
    cli,
    "serve",
    {
        0: "the server was stopped",
        2: "the command was given wrongly",
        3: "no store there, the port is in use, or the oxigraph server is not installed",
    },
)
@click.option(
    "--store",
    "store_path",
    default="out/store",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The embedded store to serve, or a build folder (its store/).",
)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535), help="The port, on 127.0.0.1.")
@click.option("--writable", is_flag=True, help="Also accept SPARQL updates (POST /update) and graph uploads.")
def serve_cmd(store_path: str, port: int, writable: bool) -> None:
    """Serve the store as a SPARQL endpoint, with Oxigraph's query page.

    Runs the Oxigraph server (the `oxigraph` package) on 127.0.0.1 only; open
    http://127.0.0.1:PORT/ in a browser. Queries see all reports' graphs as
    the default graph. The endpoint is read-only unless --writable: anyone on
    the machine can reach it. While it runs, a build into the same folder
    waits for it to stop (it says so). Stop it with Ctrl-C.
    """
    from ..store import hold_for_serving, open_embedded

    binary = shutil.which("oxigraph")
    if binary is None:
        raise KgbuildError("the oxigraph server is not installed: pip install oxigraph")
    path = store_folder(store_path)
    open_embedded(path, read_only=not writable)  # a clear error where there is no store, or it is held
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            raise StoreUnavailable(
                f"port {port} on 127.0.0.1 is in use ({e.strerror}): choose another with --port"
            ) from None
    mode = "serve" if writable else "serve-read-only"
    click.echo(
        f"SPARQL endpoint: http://127.0.0.1:{port}/query  (query page: http://127.0.0.1:{port}/)"
        f"{'' if writable else ', read-only'}",
        err=True,
    )
    hold_for_serving(path)
    command_line = [binary, mode, "--location", str(path), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    sys.stderr.flush()
    os.execv(binary, command_line)  # the server takes this process over: signals reach it, no orphan is left
