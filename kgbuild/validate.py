"""Stage 5, validate: the SHACL shapes of ``shapes/`` over the graph.

Two engines give the same results:

- :func:`validate_graph` runs every shape with pyshacl, the validator of
  record, on one rdflib graph. Exact, and slow: about a second a report.
- :func:`validate_store` runs every shape as SPARQL over all the reports in
  an Oxigraph store at once, compiled by :mod:`kgbuild.shacl`. This is what
  ``kgbuild build`` and ``kgbuild validate`` use.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.abc import Traversable
from typing import Literal as Choice

import rdflib
from pyoxigraph import Store

from .errors import Issue, Location, Severity
from .resources import ontology_files, shape_files
from .shacl import CompiledConstraint, CoreQuery, Finding, ValidationReport, compile_core, compile_sparql
from .shacl.run import run_core, run_sparql, select, split_shapes

_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def _turtle(files: Iterable[Traversable]) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in files:
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


@cache
def shapes_graph() -> rdflib.Graph:
    """Every shape of ``shapes/``, in one graph."""
    return _turtle(shape_files())


COLLECTION_SHAPES = ("years.ttl",)
"""The shape files that compare reports with each other (one agency's
consecutive years). Every other shape looks at one report's graph alone, so a
build can check each report as it is parsed, in parallel, and keep the results
of a report whose bytes did not change."""

Scope = Choice["all", "report", "collection"]
"""Which shapes to run: every shape; those that look at one report; those that span reports."""


@cache
def collection_shapes() -> frozenset[str]:
    """The shapes (and their constraints) defined in :data:`COLLECTION_SHAPES`."""
    g = _turtle(f for f in shape_files() if f.name in COLLECTION_SHAPES)
    return frozenset(str(s) for s in g.subjects() if isinstance(s, rdflib.URIRef))


def _in_scope(shape: str, scope: Scope) -> bool:
    return scope == "all" or (shape in collection_shapes()) == (scope == "collection")


@cache
def ontology_graph() -> rdflib.Graph:
    """The ontology and code lists, which the shapes' class and code checks need."""
    return _turtle(ontology_files())


@cache
def core_shapes() -> rdflib.Graph:
    """The shapes without their SPARQL constraints: what pyshacl runs report by report."""
    return split_shapes(shapes_graph())


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate one graph with pyshacl against every shape (the reference engine)."""
    import pyshacl

    graph = data + ontology_graph()
    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes or shapes_graph(), advanced=True, inference=None, allow_warnings=True
    )
    return ValidationReport.from_graph(results)


# --- The store engine -----------------------------------------------------------


@cache
def compiled_constraints(scope: Scope = "all") -> tuple[CompiledConstraint, ...]:
    """The shapes' SPARQL constraints, each compiled for its shape's target class."""
    return tuple(c for c in compile_sparql(shapes_graph()) if _in_scope(c.shape, scope))


def validate_sparql(store: Store, scope: Scope = "all") -> list[Finding]:
    """The SPARQL constraints over every report in the store at once."""
    return run_sparql(store, compiled_constraints(scope))


@cache
def compiled_core(scope: Scope = "all") -> tuple[CoreQuery, ...]:
    """The SHACL Core shapes, compiled to store-wide queries (see :mod:`kgbuild.shacl.core`)."""
    # A property shape is a blank node: it belongs to the scope of no collection shape.
    return tuple(c for c in compile_core(core_shapes()) if _in_scope(c.shape, scope))


def validate_core(store: Store, scope: Scope = "all") -> list[Finding]:
    """The SHACL Core shapes over every report in the store at once."""
    return run_core(store, compiled_core(scope))


def validate_store(store: Store, scope: Scope = "all") -> ValidationReport:
    """The shapes of ``scope`` over a store, all reports at once: SHACL-SPARQL and compiled SHACL Core."""
    findings = validate_sparql(store, scope) + validate_core(store, scope)
    return ValidationReport(sorted(findings, key=lambda f: f.key))


def issues_in(store: Store) -> list[Issue]:
    """What ``kgbuild validate`` lists: the parse issues and SHACL results the store holds, as issues.

    It is the bundled query ``issues``, so ``kgbuild query issues`` gives the same list.
    """
    from .resources import query_text

    out = []
    for s in select(store, query_text("issues")):
        line = int(s["line"].value) if s["line"] else None
        location = Location(s["file"].value, line, *_key_parts(s["key"].value if s["key"] else None))
        rules = (int(s["rule"].value),) if s["rule"] else ()
        out.append(Issue(s["code"].value, s["message"].value, Severity(s["severity"].value), location, rules))
    return out


def _key_parts(key: str | None) -> tuple[str | None, str | None, str | None]:
    """A key an issue names, as table, row and column: a cell's key, a row's (``T3.denied.secret``) or a table's."""
    from .statute import CellKey, column_kind

    if key is None:
        return None, None, None
    try:
        column_kind(key)
    except (KeyError, ValueError):
        table, _, row = key.partition(".")
        return table, row or None, None
    k = CellKey.parse(key)
    return k.table, k.row, k.column
