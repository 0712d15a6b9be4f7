"""Stage 6, store: the built graph in a triple store, and SPARQL over it."""

from __future__ import annotations

import csv
from collections.abc import Iterable
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


def graph_store(inputs: Iterable[str | Path], base: str | None = None) -> tuple[Store, list[KgbuildError]]:
    """A store to validate or query: a build's dump, or reports parsed on the spot.

    :param inputs: a build's output folder or ``.nq`` dump; or report files and folders.
    :returns: the store, and the inputs that could not be parsed (the rest go on).
    """
    from .build import iter_inputs, ontology_quads
    from .parse import parse
    from .rdf import Iris, to_quads

    paths = [Path(p) for p in inputs]
    if len(paths) == 1 and (paths[0].suffix == ".nq" or (paths[0] / "kgbuild.nq").is_file()):
        return memory_store(paths[0]), []
    store = Store()
    store.extend(ontology_quads())
    failures: list[KgbuildError] = []
    iris = Iris(base) if base else Iris()
    for path in iter_inputs(paths):
        try:
            store.extend(to_quads(parse(path), iris))
        except KgbuildError as e:
            failures.append(e)
    return store, failures


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
