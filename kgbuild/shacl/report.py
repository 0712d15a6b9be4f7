"""SHACL results: what a validation found, as data and as a SHACL validation report in RDF."""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from ..errors import Severity
from ..rdf.namespaces import RDF, XSD

SH = "http://www.w3.org/ns/shacl#"
_SH = rdflib.Namespace(SH)
SEVERITIES = {_SH.Violation: Severity.ERROR, _SH.Warning: Severity.WARNING, _SH.Info: Severity.INFO}
"""SHACL's severities as kgbuild's."""


def severity_of(node: object) -> Severity:
    """A SHACL severity (sh:Violation when none, or one kgbuild does not know) as kgbuild's."""
    return SEVERITIES.get(node, Severity.ERROR) if isinstance(node, rdflib.URIRef) else Severity.ERROR


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

        def add(s: str, p: str, o: NamedNode | Literal) -> None:
            out.append(Quad(NamedNode(s), NamedNode(p), o, g))

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
        from ..rdf.namespaces import PREFIXES

        triples = [q.triple for q in self.quads(report_iri, report_iri)]
        return serialize(triples, format=RdfFormat.TURTLE, prefixes={**PREFIXES, "sh": SH}) or b""

    @classmethod
    def from_graph(cls, results: rdflib.Graph) -> ValidationReport:
        """The findings of a SHACL validation report: pyshacl's, or one kgbuild wrote."""
        out = []
        for r in results.subjects(rdflib.RDF.type, _SH.ValidationResult):

            def one(p: rdflib.URIRef, r: rdflib.term.Node = r) -> str | None:
                v = results.value(r, p)
                return None if v is None else (f"_:{v}" if isinstance(v, rdflib.BNode) else str(v))

            constraint = one(_SH.sourceConstraint) or one(_SH.sourceConstraintComponent) or ""
            severity = results.value(r, _SH.resultSeverity)
            out.append(
                Finding(
                    focus=one(_SH.focusNode) or "",
                    constraint=constraint,
                    message=one(_SH.resultMessage) or "",
                    severity=severity_of(severity),
                    value=one(_SH.value),
                    path=one(_SH.resultPath),
                    shape=one(_SH.sourceShape),
                )
            )
        return cls(sorted(out, key=lambda f: f.key))
