"""Stage 5, validate: the SHACL shapes of ``shapes/`` over the graph.

Two engines give the same results:

- :func:`validate_graph` runs every shape with pyshacl, the validator of
  record, on one rdflib graph. Exact, and slow: about a second a report.
- :func:`validate_store` runs every shape as SPARQL over all the reports in
  an Oxigraph store at once: the SHACL-SPARQL constraints compiled by the
  SHACL-SPARQL rules (``$this`` becomes a variable joined with the shape's
  target class), the SHACL Core shapes by :mod:`kgbuild.shacl_core`. This is
  what ``kgbuild build`` and ``kgbuild validate`` use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources.abc import Traversable
from typing import Literal as Choice

import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, serialize

from .errors import Severity
from .rdf.namespaces import RDF, XSD
from .resources import ontology_files, shape_files
from .shacl_core import CoreQuery, compile_core

SH = "http://www.w3.org/ns/shacl#"
_SH = rdflib.Namespace(SH)
_SEVERITIES = {_SH.Violation: Severity.ERROR, _SH.Warning: Severity.WARNING, _SH.Info: Severity.INFO}
_SH_OF = {Severity.ERROR: "Violation", Severity.WARNING: "Warning", Severity.INFO: "Info"}


@dataclass(frozen=True)
class Finding:
    """One SHACL validation result."""

    focus: str
    """The focus node: a report, a table, an observation."""
    constraint: str
    """The SPARQL constraint (``…/shapes#Rule1``), or the Core constraint component."""
    message: str
    severity: Severity
    value: str | None = None
    """The value node: for a balance rule, the first cell of its equation."""
    path: str | None = None
    shape: str | None = None

    @property
    def rule(self) -> int | None:
        """The balance rule of FORMAT.md a finding is about, if any."""
        m = re.search(r"#Rule(\d)$", self.constraint)
        return int(m.group(1)) if m else None

    def to_dict(self) -> dict[str, str | None]:
        """As JSON holds it (a build's manifest keeps each report's findings)."""
        return {**{f: getattr(self, f) for f in self.__dataclass_fields__}, "severity": self.severity.value}

    @classmethod
    def from_dict(cls, d: dict[str, str | None]) -> Finding:
        return cls(**{**d, "severity": Severity(d["severity"])})  # type: ignore[arg-type]

    @property
    def key(self) -> tuple[str, ...]:
        """What a result says, whichever engine found it; also its place in a sorted report."""
        return (self.focus, self.constraint, self.value or "", self.path or "", self.severity.value, self.message)


@dataclass
class ValidationReport:
    """The results of a validation: what the report's findings say, and the RDF that records them."""

    findings: list[Finding]

    @property
    def conforms(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def quads(self, report_iri: str, graph: str) -> list[Quad]:
        """The SHACL validation report (sh:ValidationReport) as quads in one named graph."""
        g = NamedNode(graph)
        out: list[Quad] = []

        def add(s: str, p: str, o: object) -> None:
            out.append(Quad(NamedNode(s), NamedNode(p), o, g))  # type: ignore[arg-type]

        add(report_iri, f"{RDF}type", NamedNode(f"{SH}ValidationReport"))
        add(report_iri, f"{SH}conforms", Literal(str(self.conforms).lower(), datatype=NamedNode(f"{XSD}boolean")))
        for n, f in enumerate(sorted(self.findings, key=lambda f: f.key), start=1):
            r = f"{report_iri}/result/{n}"
            add(report_iri, f"{SH}result", NamedNode(r))
            add(r, f"{RDF}type", NamedNode(f"{SH}ValidationResult"))
            add(r, f"{SH}focusNode", NamedNode(f.focus))
            add(r, f"{SH}resultSeverity", NamedNode(f"{SH}{_SH_OF[f.severity]}"))
            add(r, f"{SH}resultMessage", Literal(f.message))
            if f.constraint.startswith(SH):
                add(r, f"{SH}sourceConstraintComponent", NamedNode(f.constraint))
            else:
                add(r, f"{SH}sourceConstraintComponent", NamedNode(f"{SH}SPARQLConstraintComponent"))
                add(r, f"{SH}sourceConstraint", NamedNode(f.constraint))
            if f.shape and not f.shape.startswith("_:"):
                add(r, f"{SH}sourceShape", NamedNode(f.shape))
            if f.value and f.value.startswith(("http://", "https://")):
                add(r, f"{SH}value", NamedNode(f.value))
            if f.path:
                add(r, f"{SH}resultPath", NamedNode(f.path))
        return out

    def to_turtle(self, report_iri: str) -> bytes:
        from .rdf.namespaces import PREFIXES

        triples = [q.triple for q in self.quads(report_iri, report_iri)]
        return serialize(triples, format=RdfFormat.TURTLE, prefixes={**PREFIXES, "sh": SH}) or b""


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
    g = rdflib.Graph()
    full = shapes_graph()
    for prefix, namespace in full.namespaces():  # pyshacl's messages use them
        g.bind(prefix, namespace)
    sparql = set(full.objects(None, _SH.sparql))
    for s, p, o in full:
        if p != _SH.sparql and s not in sparql:
            g.add((s, p, o))
    return g


def _findings(results: rdflib.Graph) -> list[Finding]:
    out = []
    for r in results.subjects(rdflib.RDF.type, _SH.ValidationResult):

        def one(p: rdflib.URIRef, r: rdflib.term.Node = r) -> str | None:
            v = results.value(r, p)
            return None if v is None else (f"_:{v}" if isinstance(v, rdflib.BNode) else str(v))

        constraint = one(_SH.sourceConstraint) or one(_SH.sourceConstraintComponent) or ""
        out.append(
            Finding(
                focus=one(_SH.focusNode) or "",
                constraint=constraint,
                message=one(_SH.resultMessage) or "",
                severity=_SEVERITIES.get(results.value(r, _SH.resultSeverity), Severity.ERROR),  # type: ignore[arg-type]
                value=one(_SH.value),
                path=one(_SH.resultPath),
                shape=one(_SH.sourceShape),
            )
        )
    return sorted(out, key=lambda f: f.key)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate one graph with pyshacl against every shape (the reference engine)."""
    import pyshacl

    graph = data + ontology_graph()
    _, results, _ = pyshacl.validate(
        graph, shacl_graph=shapes or shapes_graph(), advanced=True, inference=None, allow_warnings=True
    )
    return ValidationReport(_findings(results))


# --- The store engine -----------------------------------------------------------


@dataclass(frozen=True)
class CompiledConstraint:
    """A SHACL-SPARQL constraint as one query over the whole store."""

    constraint: str
    shape: str
    severity: Severity
    message: str
    query: str


@cache
def compiled_constraints(scope: Scope = "all") -> tuple[CompiledConstraint, ...]:
    """The shapes' SPARQL constraints, each compiled for its shape's target class."""
    g = shapes_graph()
    out = []
    for shape, constraint in sorted(g.subject_objects(_SH.sparql)):
        if not _in_scope(str(shape), scope):
            continue
        prefixes = "".join(
            f"PREFIX {g.value(d, _SH.prefix)}: <{g.value(d, _SH.namespace)}>\n"
            for declarer in g.objects(constraint, _SH.prefixes)
            for d in g.objects(declarer, _SH.declare)
        )
        select = str(g.value(constraint, _SH.select))
        target = g.value(shape, _SH.targetClass)
        body = select.replace("$this", "?this")
        # Join the target: the first WHERE's group now begins with the focus nodes.
        body = re.sub(r"WHERE\s*\{", f"WHERE {{\n    ?this a <{target}> .", body, count=1)
        severity = _SEVERITIES.get(g.value(shape, _SH.severity), Severity.ERROR)  # type: ignore[arg-type]
        out.append(
            CompiledConstraint(
                constraint=str(constraint),
                shape=str(shape),
                severity=severity,
                message=str(g.value(constraint, _SH.message)),
                query=prefixes + body,
            )
        )
    return tuple(out)


def _message(template: str, solution: dict[str, str]) -> str:
    return re.sub(r"\{[?$](\w+)\}", lambda m: solution.get(m.group(1), m.group(0)), template)


def validate_sparql(store: Store, scope: Scope = "all") -> list[Finding]:
    """The SPARQL constraints over every report in the store at once."""
    findings = []
    for c in compiled_constraints(scope):
        solutions = store.query(c.query, use_default_graph_as_union=True)
        names = [v.value for v in solutions.variables]
        for s in solutions:
            row = {n: s[n].value for n in names if s[n] is not None}
            findings.append(
                Finding(
                    focus=row["this"],
                    constraint=c.constraint,
                    message=_message(c.message, row),
                    severity=c.severity,
                    value=row.get("value"),
                    path=row.get("path"),
                    shape=c.shape,
                )
            )
    return findings


@cache
def compiled_core(scope: Scope = "all") -> tuple[CoreQuery, ...]:
    """The SHACL Core shapes, compiled to store-wide queries (see :mod:`kgbuild.shacl_core`)."""
    # A property shape is a blank node: it belongs to the scope of no collection shape.
    return tuple(c for c in compile_core(core_shapes()) if _in_scope(c.shape, scope))


def validate_core(store: Store, scope: Scope = "all") -> list[Finding]:
    """The SHACL Core shapes over every report in the store at once."""
    findings = []
    for c in compiled_core(scope):
        for s in store.query(c.query, use_default_graph_as_union=True):
            value = s["value"] if "value" in c.query.split("WHERE", 1)[0] else None
            findings.append(
                Finding(
                    focus=s["this"].value,
                    constraint=c.component,
                    message=c.message,
                    severity=_SEVERITIES.get(rdflib.URIRef(c.severity), Severity.ERROR),
                    value=value.value if value is not None else None,
                    path=c.path,
                    shape=c.shape,
                )
            )
    return findings


def validate_store(store: Store, scope: Scope = "all") -> ValidationReport:
    """The shapes of ``scope`` over a store, all reports at once: SHACL-SPARQL and compiled SHACL Core."""
    findings = validate_sparql(store, scope) + validate_core(store, scope)
    return ValidationReport(sorted(findings, key=lambda f: f.key))


def _shape_name(f: Finding) -> str:
    """What a result that is no balance rule checks: its constraint, and the property it is about."""
    name = re.split(r"[#/]", f.constraint)[-1].removesuffix("ConstraintComponent")
    return f"{name} {re.split(r'[#/]', f.path)[-1]}" if f.path else name


_WHERE = """
PREFIX ogi: <https://w3id.org/kgbuild/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?node ?file ?key ?line WHERE {
  { ?node a ogi:AnnualReport ; prov:wasDerivedFrom/ogi:fileName ?file . }
  UNION
  { ?node ogi:cellKey ?key ; prov:wasDerivedFrom/ogi:fileName ?file . OPTIONAL { ?node ogi:sourceLine ?line } }
}
"""


def located(store: Store, findings: Iterable[Finding]) -> list[dict[str, object]]:
    """Findings as rows a person reads: the file, the rule, the cell and its line, the message."""
    where: dict[str, tuple[str, str | None, int | None]] = {}
    for s in store.query(_WHERE, use_default_graph_as_union=True):
        line = s["line"]
        where[s["node"].value] = (
            s["file"].value,
            s["key"].value if s["key"] else None,
            int(line.value) if line else None,
        )
    rows = []
    for f in findings:
        report = re.sub(r"(/report/[0-9a-f]+).*$", r"\1", f.focus)
        file = where.get(report, (None, None, None))[0]
        _, key, line = where.get(f.value or "", where.get(f.focus, (None, None, None)))
        rows.append(
            {
                "file": file,
                "rule": f.rule if f.rule else _shape_name(f),
                "cell": key,
                "line": line,
                "severity": f.severity.value,
                "message": f.message,
                "focus": f.focus,
            }
        )
    return rows
