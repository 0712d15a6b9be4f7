"""Stage 6, store: the built graph in a triple store, and SPARQL over it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from pyoxigraph import Literal, RdfFormat, Store

from .errors import InputUnreadable, KgbuildError
from .resources import query_text


def dump_path(built: str | Path) -> Path:
    """The N-Quads dump of a build: the folder's ``kgbuild.nq``, or the file itself."""
    path = Path(built)
    return path / "kgbuild.nq" if path.is_dir() else path


def memory_store(built: str | Path) -> Store:
    """An in-memory store holding a build's N-Quads dump.

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


def select(store: Store, query: str) -> tuple[list[str], list[list[object]]]:
    """Run a SELECT over the union of the named graphs: variable names, and rows of values."""
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    rows = [[_python(s[name]) for name in names] for s in solutions]
    return names, rows


def _python(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.value
    return getattr(term, "value", str(term))


def export_csv(built: str | Path, out: TextIO) -> int:
    """Write ``queries/cells.rq`` over a build as CSV; returns the number of rows."""
    names, rows = select(memory_store(built), query_text("cells"))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(rows)
    return len(rows)
