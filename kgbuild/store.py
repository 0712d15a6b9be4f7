"""Stage 6, store: the built graph in a triple store, and SPARQL over it.

Two stores answer the same queries:

- :class:`OxigraphStore`: embedded, on disk (``DIR/store`` after a build), no
  server needed;
- :class:`SparqlStore`: any SPARQL 1.1 server, loaded through the Graph Store
  HTTP Protocol (one named graph per report, replaced on reload) and queried
  through SPARQLWrapper.

Queries see the union of the named graphs as their default graph.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from .errors import InputUnreadable, KgbuildError

Row = list[object]


class StoreUnavailable(KgbuildError):
    """A SPARQL server cannot be reached, or refuses."""

    exit_code = 3


@dataclass(frozen=True)
class Results:
    """A SELECT's answer: its variables, and rows of plain values (None where unbound)."""

    variables: list[str]
    rows: list[Row]

    def write(self, out: TextIO, fmt: str = "table") -> None:
        """Print as ``table``, ``csv``, ``tsv`` or ``json`` (a list of objects)."""
        if fmt == "json":
            out.write(json.dumps([dict(zip(self.variables, r, strict=True)) for r in self.rows], ensure_ascii=False))
            out.write("\n")
        elif fmt in ("csv", "tsv"):
            writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(self.variables)
            writer.writerows(["" if v is None else v for v in r] for r in self.rows)
        else:
            from .render import table

            out.write(table([self.variables, *(["" if v is None else str(v) for v in r] for r in self.rows)]))
            out.write(f"\n({len(self.rows)} rows)\n")


class GraphStore(Protocol):
    """What kgbuild needs of a triple store."""

    def replace_graph(self, graph: str, ntriples: bytes) -> None: ...
    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results: ...


_INTEGERS = {"integer", "int", "long", "nonNegativeInteger", "positiveInteger"}


def _literal_value(value: str, datatype: str) -> object:
    """A literal's plain value: integers as int, everything else as its text."""
    return int(value) if datatype.rsplit("#", 1)[-1] in _INTEGERS else value


def _plain(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        return _literal_value(term.value, term.datatype.value)
    return getattr(term, "value", str(term))


def parameter_term(value: str) -> NamedNode | Literal:
    """A command-line parameter as an RDF term: ``<iri>`` an IRI, digits an integer, else a string."""
    if value.startswith("<") and value.endswith(">"):
        return NamedNode(value[1:-1])
    if value.lstrip("-").isdigit():
        return Literal(value, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return Literal(value)


def bind(query: str, params: Mapping[str, str] | None) -> str:
    """Bind named parameters by a trailing VALUES clause of escaped RDF terms.

    The values never become query text of their own: each is one term in
    N-Triples syntax (quotes, braces and newlines escaped), so a value such as
    ``"} ; DROP ALL`` stays a string.
    """
    if not params:
        return query
    names = " ".join(f"?{name}" for name in params)
    for name in params:
        if not name.isidentifier():
            raise KgbuildError(f"parameter name {name!r} is not a SPARQL variable name")
    terms = " ".join(str(parameter_term(v)) for v in params.values())
    return f"{query.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"


class OxigraphStore:
    """The embedded store: pyoxigraph, on disk or in memory."""

    def __init__(self, path: str | Path | None = None, *, store: Store | None = None) -> None:
        """Open the store at ``path`` (created if absent), or wrap ``store``, or a new in-memory one."""
        try:
            self.store = store if store is not None else Store(str(path)) if path else Store()
        except OSError as e:
            raise InputUnreadable(f"cannot open the store: {e}", str(path)) from None
        self.path = path

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        g = NamedNode(graph)
        self.store.remove_graph(g) if self.store.contains_named_graph(g) else None
        self.store.extend(
            Quad(t.subject, t.predicate, t.object, g) for t in parse(ntriples, format=RdfFormat.N_TRIPLES)
        )

    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results:
        try:
            solutions = self.store.query(bind(query, params), use_default_graph_as_union=True)
        except SyntaxError as e:
            raise KgbuildError(f"the query is not valid SPARQL: {e}") from None
        variables = [v.value for v in solutions.variables]
        return Results(variables, [[_plain(s[v]) for v in variables] for s in solutions])


class SparqlStore:
    """Any SPARQL 1.1 server, through the Graph Store Protocol and SPARQLWrapper.

    ``endpoint`` is an Oxigraph server's base URL (``http://127.0.0.1:7878``);
    other servers name their endpoints: ``query_url``, ``update_url`` and
    ``store_url`` (Fuseki: ``…/ds/query``, ``…/ds/update``, ``…/ds/data``).
    Credentials come from the environment (``KGBUILD_SPARQL_USER``,
    ``KGBUILD_SPARQL_PASSWORD``) and are never printed.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 60,
    ) -> None:
        base = endpoint.rstrip("/") if endpoint else None
        self.query_url = query_url or (f"{base}/query" if base else None)
        self.update_url = update_url or (f"{base}/update" if base else None)
        self.store_url = store_url or (f"{base}/store" if base else None)
        if not self.query_url:
            raise KgbuildError("name a SPARQL endpoint: --endpoint URL, or --query-url")
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        user, password = os.environ.get("KGBUILD_SPARQL_USER"), os.environ.get("KGBUILD_SPARQL_PASSWORD")
        self._auth = (user, password) if user and password else None

    def _headers(self) -> dict[str, str]:
        if not self._auth:
            return {}
        token = base64.b64encode(f"{self._auth[0]}:{self._auth[1]}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def _retrying(self, what: str, url: str, call: Callable[[], object]) -> object:
        """Run a request, retrying with back-off on what may pass (refused, 5xx, 429)."""
        for attempt in range(self.retries + 1):
            try:
                return call()
            except urllib.error.HTTPError as e:
                if e.code in (408, 429, 500, 502, 503, 504) and attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                detail = e.read().decode("utf-8", "replace")[:200].strip()
                raise StoreUnavailable(f"{what} refused: HTTP {e.code} {e.reason}. {detail}".strip(), url) from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                reason = getattr(e, "reason", e)
                raise StoreUnavailable(
                    f"{what} failed after {self.retries + 1} tries: {reason} (is the server running?)", url
                ) from None
        raise AssertionError("unreachable")

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        """PUT a graph: the server replaces what the graph held, so a reload changes nothing."""
        if not self.store_url:
            raise KgbuildError("loading needs the Graph Store endpoint: --endpoint URL, or --store-url")
        url = f"{self.store_url}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": "application/n-triples", **self._headers()}

        def put() -> None:
            request = urllib.request.Request(url, data=ntriples, method="PUT", headers=headers)
            with urllib.request.urlopen(request, timeout=self.timeout):
                pass

        self._retrying(f"loading graph {graph}", self.store_url, put)

    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results:
        from SPARQLWrapper import JSON, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setQuery(bind(query, params))
        wrapper.setReturnFormat(JSON)
        wrapper.setMethod("POST")
        wrapper.setTimeout(int(self.timeout))
        if self._auth:
            wrapper.setCredentials(*self._auth)

        def ask() -> object:
            try:
                return wrapper.queryAndConvert()
            except QueryBadFormed as e:
                raise KgbuildError(f"the query is not valid SPARQL: {str(e)[:300]}") from None

        answer: dict = self._retrying("the query", self.query_url, ask)  # type: ignore[assignment]
        variables = answer["head"]["vars"]
        rows = [[_json_value(b.get(v)) for v in variables] for b in answer["results"]["bindings"]]
        return Results(variables, rows)


def _json_value(binding: dict | None) -> object:
    if binding is None:
        return None
    if binding.get("type") in ("literal", "typed-literal"):
        return _literal_value(binding["value"], binding.get("datatype", ""))
    return binding["value"]


# --- Loading a build ------------------------------------------------------------


def dump_path(built: str | Path) -> Path:
    """The N-Quads dump of a build: the folder's ``kgbuild.nq``, or the file itself."""
    path = Path(built)
    return path / "kgbuild.nq" if path.is_dir() else path


def graphs_of(dump: str | Path) -> Iterator[tuple[str, bytes]]:
    """Each named graph of an N-Quads dump, as N-Triples, in the dump's order."""
    path = dump_path(dump)
    if not path.is_file():
        raise InputUnreadable("no kgbuild.nq here: run `kgbuild build` first", str(path))
    groups: dict[str, list] = {}
    try:
        for q in parse(path=str(path), format=RdfFormat.N_QUADS):
            groups.setdefault(q.graph_name.value if isinstance(q.graph_name, NamedNode) else "", []).append(q.triple)
    except SyntaxError as e:
        raise KgbuildError(f"not a valid N-Quads dump: {e}", str(path)) from None
    for graph, triples in groups.items():
        if graph:  # kgbuild writes no default-graph triples
            yield graph, serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def load(dump: str | Path, store: GraphStore, progress: Callable[[int], None] | None = None) -> int:
    """Load a build's dump into a store, one named graph at a time; returns the graph count."""
    n = 0
    for graph, ntriples in graphs_of(dump):
        store.replace_graph(graph, ntriples)
        n += 1
        if progress:
            progress(1)
    return n


def memory_store(built: str | Path) -> Store:
    """An in-memory pyoxigraph store holding a build's N-Quads dump.

    :raises InputUnreadable: no dump there.
    """
    path = dump_path(built)
    if not path.is_file():
        raise InputUnreadable("no kgbuild.nq here: run `kgbuild build` first", str(path))
    store = Store()
    try:
        store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
    except (SyntaxError, ValueError) as e:
        raise KgbuildError(f"not a valid N-Quads dump: {e}", str(path)) from None
    return store


STORE_STATE = ".store-graphs"
"""Written into a build's folder once its store holds what its dumps hold: the graphs, hashed."""


def built_store(built: str | Path) -> Store:
    """A build's data: its embedded store, opened read-only, where the build finished loading it;
    else its N-Quads dump, in memory. The store answers for builds of any size without
    holding them in memory.

    :raises InputUnreadable: no build there.
    """
    folder = Path(built)
    if folder.is_dir() and (folder / STORE_STATE).is_file():
        try:
            return Store.read_only(str(folder / "store"))
        except OSError:
            pass  # open in another process for writing: read the dump instead
    return memory_store(built)


def graph_store(inputs: Iterable[str | Path], base: str | None = None) -> tuple[Store, list[KgbuildError]]:
    """A store to validate or query: a build's dump, or reports parsed on the spot.

    :param inputs: a build's output folder or ``.nq`` dump; or report files and folders.
    :returns: the store, and the inputs that could not be parsed (the rest go on).
    """
    from .build import iter_inputs, ontology_quads
    from .parse import parse as parse_report
    from .rdf import Iris, to_quads

    paths = [Path(p) for p in inputs]
    if len(paths) == 1 and (
        paths[0].suffix == ".nq" or (paths[0] / "kgbuild.nq").is_file() or (paths[0] / STORE_STATE).is_file()
    ):
        return built_store(paths[0]), []
    store = Store()
    store.extend(ontology_quads())
    failures: list[KgbuildError] = []
    iris = Iris(base) if base else Iris()
    for path in iter_inputs(paths):
        try:
            store.extend(to_quads(parse_report(path), iris))
        except KgbuildError as e:
            failures.append(e)
    return store, failures


def export_csv(built: str | Path, out: TextIO) -> int:
    """Write ``queries/cells.rq`` over a build as CSV; returns the number of rows."""
    from .resources import query_text

    results = OxigraphStore(store=built_store(built)).select(query_text("cells"))
    results.write(out, "csv")
    return len(results.rows)


__all__ = [
    "GraphStore",
    "OxigraphStore",
    "Results",
    "SparqlStore",
    "StoreUnavailable",
    "bind",
    "built_store",
    "export_csv",
    "graph_store",
    "load",
    "memory_store",
]
