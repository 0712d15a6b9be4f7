"""The embedded store: pyoxigraph on disk, opened read-only unless written, and the serving lock."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store

from ..errors import BadQuery
from .results import Results, StoreBusy, StoreUnavailable, bind, plain_value, triple_rows


def open_embedded(path: str | Path, *, read_only: bool = True, create: bool = False) -> Store:
    """An embedded store on disk.

    :param read_only: open it for reading, beside a process that writes it (``kgbuild serve``).
    :param create: make it where there is none (``kgbuild load --store``).
    :raises StoreUnavailable: no store there (and not ``create``), or it cannot be opened.
    :raises StoreBusy: it is open for writing in another process, and this wants to write.
    """
    p = Path(path)
    if not read_only or create:
        check_not_served(p)
    if not (p / "CURRENT").is_file() and not create:
        hint = f"; a build's store is {p / 'store'}" if (p / "store" / "CURRENT").is_file() else ""
        raise StoreUnavailable(f"no Oxigraph store here{hint}", str(p))
    try:
        return Store.read_only(str(p)) if read_only and not create else Store(str(p))
    except OSError as e:
        if "lock" in str(e).lower():
            raise StoreBusy(
                "the store is open in another process (kgbuild serve, or a build): stop it, "
                "or ask that server with --endpoint http://127.0.0.1:PORT",
                str(p),
            ) from None
        raise StoreUnavailable(f"cannot open the store: {e}", str(p)) from None


SERVE_LOCK = "kgbuild-serve.lock"
"""A file in the store's folder that ``kgbuild serve`` holds a shared lock on while it serves."""


def hold_for_serving(path: str | Path) -> int:
    """Take the serving lock and keep it through exec: the server process holds it until it ends."""
    import fcntl

    fd = os.open(Path(path) / SERVE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_SH)
    os.set_inheritable(fd, True)
    return fd


def check_not_served(path: str | Path) -> None:
    """:raises StoreBusy: a ``kgbuild serve`` serves this store (even read-only, which a writer would break)."""
    import fcntl

    lock = Path(path) / SERVE_LOCK
    if not lock.is_file():
        return
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StoreBusy(
            "kgbuild serve is serving this store: stop it (Ctrl-C) before writing to it", str(path)
        ) from None
    finally:
        os.close(fd)


class OxigraphStore:
    """The embedded store: pyoxigraph, on disk or in memory."""

    def __init__(self, path: str | Path | None = None, *, store: Store | None = None, create: bool = False) -> None:
        """Open the store at ``path`` read-only (or for writing where ``create``), or wrap ``store``,
        or make a new one in memory."""
        if store is not None:
            self.store = store
        elif path is not None:
            self.store = open_embedded(path, read_only=not create, create=create)
        else:
            self.store = Store()
        self.path = path

    def replace_graph(self, graph: str, ntriples: bytes) -> None:
        g = NamedNode(graph)
        self.store.remove_graph(g) if self.store.contains_named_graph(g) else None
        self.append_graph(graph, ntriples)

    def append_graph(self, graph: str, ntriples: bytes) -> None:
        self.store.load(ntriples, format=RdfFormat.N_TRIPLES, to_graph=NamedNode(graph))

    def drop_graph(self, graph: str) -> None:
        self.store.remove_graph(NamedNode(graph))

    def graph_names(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, NamedNode)}

    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results:
        try:
            answer = self.store.query(bind(query, params), use_default_graph_as_union=True)
        except SyntaxError as e:
            raise BadQuery(f"the query is not valid SPARQL: {e}") from None
        except OSError as e:  # a SERVICE that cannot be reached
            raise StoreUnavailable(f"the query could not be answered: {e}") from None
        if isinstance(answer, QueryBoolean):
            return Results(["ask"], [[bool(answer)]])
        if isinstance(answer, QueryTriples):
            return triple_rows(iter(answer))
        assert isinstance(answer, QuerySolutions)
        variables = [v.value for v in answer.variables]
        try:
            return Results(variables, [[plain_value(s[v]) for v in variables] for s in answer])
        except OSError as e:
            raise StoreUnavailable(f"the query could not be answered: {e}") from None
