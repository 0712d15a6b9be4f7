"""SHACL Core shapes compiled to SPARQL, to run over every report in a store at once.

Only what ``shapes/`` uses is compiled: one target by class or by subjects
of a property; property shapes on a single predicate with sh:minCount,
sh:maxCount, sh:class, sh:datatype, sh:in, sh:pattern, sh:minLength,
sh:maxLength, sh:minInclusive and sh:hasValue; and node shapes combined with
sh:xone and sh:not. Anything else raises :class:`Unsupported`, so a shape the
compiler does not know is never silently skipped. Every compiled constraint
takes its message from the shape (sh:message) and its severity from the
shape that holds it (a property shape's own sh:severity, as SHACL says), and
the conformance cases of ``tests/shacl/`` check that the results equal
pyshacl's, the validator of record.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.collection import Collection

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_COMPONENTS: dict[rdflib.term.Node, str] = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class", SH.datatype: "Datatype",
    SH["in"]: "In", SH.pattern: "Pattern", SH.minLength: "MinLength", SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive", SH.hasValue: "HasValue",
}  # fmt: skip
_IGNORED = {SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order}
_RDFS = rdflib.RDFS
_NODE_SHAPE_KEYS = {
    SH.targetClass, SH.targetSubjectsOf, SH.property, SH.xone, SH.message, SH.severity,
    rdflib.RDF.type, _RDFS.label, _RDFS.comment, SH.name, SH.description,
}  # fmt: skip
"""What a targeted node shape may hold; any other constraint on it is refused, not skipped."""


class Unsupported(Exception):
    """A shape uses SHACL the compiler does not translate."""


@dataclass(frozen=True)
class CoreQuery:
    """One constraint of one shape, as a SELECT of ``?this`` (and ``?value``) that break it."""

    shape: str
    component: str
    path: str | None
    severity: str
    message: str
    query: str
    binds_value: bool = False
    """Whether the query's rows carry the value node (``?value``)."""
    target: str = ""
    """The shape's focus nodes as a pattern over ``?this``: where none match, the query finds nothing."""


def _term(node: rdflib.term.Node) -> str:
    return node.n3()


def _one(g: rdflib.Graph, s: rdflib.term.Node, p: rdflib.URIRef) -> rdflib.term.Node | None:
    return g.value(s, p)


def _value_filter(g: rdflib.Graph, component: rdflib.term.Node, arg: rdflib.term.Node) -> str | None:
    """A FILTER that holds when ``?value`` breaks a value-level constraint, or None for a count."""
    if component == SH["class"]:
        return f"FILTER NOT EXISTS {{ ?value {_RDF_TYPE}/{_SUBCLASS}* {_term(arg)} }}"
    if component == SH.datatype:
        return f"FILTER (!isLiteral(?value) || DATATYPE(?value) != {_term(arg)})"
    if component == SH["in"]:
        members = ", ".join(_term(m) for m in Collection(g, arg))
        return f"FILTER (?value NOT IN ({members}))"
    if component == SH.pattern:
        return f"FILTER (isBlank(?value) || !REGEX(STR(?value), {rdflib.Literal(str(arg)).n3()}))"
    if component == SH.minLength:
        return f"FILTER (isBlank(?value) || STRLEN(STR(?value)) < {int(str(arg))})"
    if component == SH.maxLength:
        return f"FILTER (isBlank(?value) || STRLEN(STR(?value)) > {int(str(arg))})"
    if component == SH.minInclusive:
        return f"FILTER (!COALESCE(?value >= {_term(arg)}, false))"
    return None


def _values(p: str, n: int) -> str:
    """A pattern that holds when ``?this`` has at least n distinct values of p."""
    values = " ".join(f"?this {p} ?v{i} ." for i in range(n))
    distinct = " && ".join(f"?v{i} != ?v{j}" for i in range(n) for j in range(i + 1, n))
    return f"{values} FILTER ({distinct})" if distinct else values


def _property_violations(g: rdflib.Graph, ps: rdflib.term.Node) -> list[tuple[rdflib.term.Node, str, bool]]:
    """Each constraint of a property shape: (component, pattern over ?this, whether it binds ?value)."""
    path = _one(g, ps, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise Unsupported(f"property shape {ps}: only a single predicate as sh:path")
    p = _term(path)
    out = []
    for component, arg in g.predicate_objects(ps):
        if component in _IGNORED:
            continue
        if component not in _COMPONENTS:
            raise Unsupported(f"property shape {ps}: {component}")
        if component == SH.minCount:
            n = int(str(arg))
            out.append((component, f"FILTER NOT EXISTS {{ {_values(p, n)} }}", False))
        elif component == SH.maxCount:
            n = int(str(arg))
            out.append((component, f"FILTER EXISTS {{ {_values(p, n + 1)} }}", False))
        elif component == SH.hasValue:
            out.append((component, f"FILTER NOT EXISTS {{ ?this {p} {_term(arg)} }}", False))
        else:
            out.append((component, f"?this {p} ?value . {_value_filter(g, component, arg)}", True))
    return out


def _violates(g: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """A pattern that matches when ``?this`` does not conform to a node shape (used inside EXISTS)."""
    branches = []
    for ps in g.objects(shape, SH.property):
        for _, pattern, _ in _property_violations(g, ps):
            branches.append(f"{{ {pattern} }}")
    for inner in g.objects(shape, SH["not"]):
        branches.append(f"{{ FILTER NOT EXISTS {{ {_violates(g, inner)} }} }}")
    for component in set(g.predicates(shape)) - {SH.property, SH["not"], rdflib.RDF.type, SH.message, SH.severity}:
        raise Unsupported(f"node shape {shape}: {component} inside a logical constraint")
    return " UNION ".join(branches) or "FILTER (false)"


def _target(g: rdflib.Graph, shape: rdflib.term.Node) -> str:
    targets = []
    for c in g.objects(shape, SH.targetClass):
        targets.append(f"?this {_RDF_TYPE}/{_SUBCLASS}* {_term(c)} .")
    for p in g.objects(shape, SH.targetSubjectsOf):
        targets.append(f"?this {_term(p)} [] .")
    if len(targets) > 1:
        raise Unsupported(f"node shape {shape}: more than one target")
    return targets[0]


def compile_core(g: rdflib.Graph) -> list[CoreQuery]:
    """Every SHACL Core constraint of the targeted shapes, as store-wide queries."""
    out: list[CoreQuery] = []
    for p in (SH.targetNode, SH.targetObjectsOf):
        for shape in g.subjects(p, None):
            raise Unsupported(f"node shape {shape}: {p} (only sh:targetClass and sh:targetSubjectsOf are compiled)")
    shapes = {s for p in (SH.targetClass, SH.targetSubjectsOf) for s in g.subjects(p, None)}
    for shape in sorted(shapes, key=str):
        target = _target(g, shape)
        for key in set(g.predicates(shape)) - _NODE_SHAPE_KEYS:
            raise Unsupported(f"node shape {shape}: {key}")
        shape_message = _one(g, shape, SH.message)
        severity = str(_one(g, shape, SH.severity) or SH.Violation)
        for ps in sorted(g.objects(shape, SH.property), key=str):
            message = _one(g, ps, SH.message) or shape_message
            if message is None:
                raise Unsupported(f"property shape of {shape}: no sh:message")
            # A property shape's results carry its own severity; the node shape's is not inherited.
            ps_severity = str(_one(g, ps, SH.severity) or SH.Violation)
            path = str(_one(g, ps, SH.path))
            for component, pattern, binds in _property_violations(g, ps):
                select = "DISTINCT ?this ?value" if binds else "DISTINCT ?this"
                out.append(
                    CoreQuery(
                        shape=str(ps) if isinstance(ps, rdflib.URIRef) else f"_:{ps}",
                        component=f"{SH}{_COMPONENTS[component]}ConstraintComponent",
                        path=path,
                        severity=ps_severity,
                        message=str(message),
                        query=f"SELECT {select} WHERE {{ {target} {pattern} }}",
                        binds_value=binds,
                        target=target,
                    )
                )
        for xone in g.objects(shape, SH.xone):
            members = list(Collection(g, xone))
            if shape_message is None:
                raise Unsupported(f"node shape {shape}: sh:xone with no sh:message")
            count = " + ".join(f"IF(EXISTS {{ {_violates(g, m)} }}, 0, 1)" for m in members)
            out.append(
                CoreQuery(
                    shape=str(shape),
                    component=f"{SH}XoneConstraintComponent",
                    path=None,
                    severity=severity,
                    message=str(shape_message),
                    query=f"SELECT DISTINCT ?this (?this AS ?value) "
                    f"WHERE {{ {target} BIND ({count} AS ?n) FILTER (?n != 1) }}",
                    binds_value=True,
                    target=target,
                )
            )
    return out
