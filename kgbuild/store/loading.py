"""Loading a dump into a store, streamed one named graph at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from ..errors import InputUnreadable, KgbuildError
from .results import GraphStore


def graphs_of(dump: str | Path) -> Iterator[tuple[str, bytes, bool]]:
    """Each run of one named graph in an N-Quads dump, as N-Triples, streamed in the dump's order.

    Yields (graph, N-Triples, whether the graph was met before in this dump);
    only one graph's triples are held at a time.

    :raises InputUnreadable: no such file.
    :raises KgbuildError: the file is not N-Quads (named with its line).
    """
    path = Path(dump)
    if path.is_dir():  # a build folder
        path = path / "kgbuild.nq"
    if not path.is_file():
        raise InputUnreadable("no N-Quads dump here: run `kgbuild build` first", str(path))
    seen: set[str] = set()
    graph: str | None = None
    run: list[Triple] = []
    try:
        for q in parse(path=str(path), format=RdfFormat.N_QUADS):
            name = q.graph_name.value if isinstance(q.graph_name, NamedNode) else ""
            if name != graph:
                if graph and run:  # kgbuild writes no default-graph triples
                    yield graph, serialize(run, format=RdfFormat.N_TRIPLES) or b"", graph in seen
                    seen.add(graph)
                graph, run = name, []
            run.append(q.triple)
    except SyntaxError as e:
        raise KgbuildError(f"not a valid N-Quads dump: {e}", str(path)) from None
    if graph and run:
        yield graph, serialize(run, format=RdfFormat.N_TRIPLES) or b"", graph in seen


@dataclass(frozen=True)
class Loaded:
    """What a load did: the graphs it loaded, and those it removed (``prune``)."""

    graphs: int
    pruned: tuple[str, ...] = ()


def load(
    dump: str | Path, store: GraphStore, progress: Callable[[int], None] | None = None, *, prune: bool = False
) -> Loaded:
    """Load an N-Quads dump into a store, one named graph at a time.

    Each graph replaces the graph of that name in the store (a reload changes
    nothing); a graph met again further down the dump is added to. With
    ``prune``, the store's graphs in the dump's graph namespaces (``…/id/graph/``)
    that the dump no longer has (reports gone from the build) are removed
    after; graphs of other namespaces are never touched.
    """
    graphs: set[str] = set()
    for graph, ntriples, again in graphs_of(dump):
        (store.append_graph if again else store.replace_graph)(graph, ntriples)
        graphs.add(graph)
        if progress:
            progress(1)
    if not prune:
        return Loaded(len(graphs))
    spaces = {g.rsplit("/", 1)[0] + "/" for g in graphs if g.rsplit("/", 2)[-2] == "graph"}
    gone = sorted(g for g in store.graph_names() - graphs if g.rsplit("/", 1)[0] + "/" in spaces)
    for g in gone:
        store.drop_graph(g)
    return Loaded(len(graphs), tuple(gone))
