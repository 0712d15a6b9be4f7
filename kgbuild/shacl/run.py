"""Running compiled shapes over a store: every focus node of every report at once."""

from __future__ import annotations

import re
from collections.abc import Iterable

import rdflib
from pyoxigraph import QuerySolutions, Store

from .core import CoreQuery, compile_core
from .report import Finding, severity_of
from .sparql import CompiledConstraint, compile_sparql

_SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def split_shapes(shapes: rdflib.Graph) -> rdflib.Graph:
    """The shapes without their SPARQL constraints: what the Core compiler (and pyshacl's Core) reads."""
    g = rdflib.Graph()
    for prefix, namespace in shapes.namespaces():  # pyshacl's messages use them
        g.bind(prefix, namespace)
    sparql = set(shapes.objects(None, _SH.sparql))
    for s, p, o in shapes:
        if p != _SH.sparql and s not in sparql:
            g.add((s, p, o))
    return g


def compile_shapes(shapes: rdflib.Graph) -> tuple[list[CoreQuery], list[CompiledConstraint]]:
    """Every constraint of a shapes graph, compiled; :class:`~kgbuild.shacl.Unsupported` for what is not."""
    return compile_core(split_shapes(shapes)), compile_sparql(shapes)


def select(store: Store, query: str) -> QuerySolutions:
    """A SELECT's solutions over the union of the store's graphs."""
    answer = store.query(query, use_default_graph_as_union=True)
    assert isinstance(answer, QuerySolutions), "a SELECT query"
    return answer


def _message(template: str, solution: dict[str, str]) -> str:
    return re.sub(r"\{[?$](\w+)\}", lambda m: solution.get(m.group(1), m.group(0)), template)


class _Targets:
    """Whether a target has focus nodes in a store, asked once per target: a shape with none finds nothing,
    and one ASK is cheaper than planning each of its queries (the 2008 shapes on a 2019 report)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[str, bool] = {}

    def any(self, target: str) -> bool:
        if not target:
            return True
        if target not in self.known:
            self.known[target] = bool(self.store.query(f"ASK {{ {target} }}", use_default_graph_as_union=True))
        return self.known[target]


def run_sparql(store: Store, constraints: Iterable[CompiledConstraint]) -> list[Finding]:
    """SHACL-SPARQL constraints over the union of the store's graphs."""
    findings = []
    targets = _Targets(store)
    for c in constraints:
        if not targets.any(c.target):
            continue
        solutions = select(store, c.query)
        names = [v.value for v in solutions.variables]
        for s in solutions:
            row = {n: s[n].value for n in names if s[n] is not None}
            findings.append(
                Finding(
                    focus=row["this"],
                    constraint=c.constraint,
                    message=_message(c.message, row),
                    severity=c.severity,
                    value=row.get("value", row["this"]),  # without ?value, the value node is the focus node
                    path=row.get("path"),
                    shape=c.shape,
                )
            )
    return findings


def run_core(store: Store, queries: Iterable[CoreQuery]) -> list[Finding]:
    """SHACL Core constraints over the union of the store's graphs."""
    findings = []
    targets = _Targets(store)
    for c in queries:
        if not targets.any(c.target):
            continue
        for s in select(store, c.query):
            findings.append(
                Finding(
                    focus=s["this"].value,
                    constraint=c.component,
                    message=c.message,
                    severity=severity_of(rdflib.URIRef(c.severity)),
                    value=s["value"].value if c.binds_value and s["value"] is not None else None,
                    path=c.path,
                    shape=c.shape,
                )
            )
    return findings
