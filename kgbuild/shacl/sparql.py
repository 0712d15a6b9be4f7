"""SHACL-SPARQL constraints compiled to queries over every report in a store at once.

A constraint's SELECT is run once for all focus nodes instead of once per
focus node: ``$this`` becomes the variable ``?this``, joined with the shape's
target class by a triple pattern put first in the query's outermost group.
That equals SHACL's pre-binding of ``$this`` only where the spec's own
limits on pre-binding hold (SHACL §5.3.1.1), so a constraint outside them is
refused with :class:`Unsupported`, never compiled into another meaning:

- the shape has exactly one target, ``sh:targetClass`` or ``sh:targetSubjectsOf``; it is a node shape;
- the query has no MINUS, VALUES, SERVICE, and binds no ``$this`` by AS;
- a subquery that uses ``$this`` projects it (so the join reaches it);
- it uses no ``$shapesGraph`` or ``$currentShape``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib

from ..errors import Severity
from ..sparqltext import Unbalanced, code_only, group_end, where_group
from .core import Unsupported
from .report import severity_of

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

_REFUSED = [
    (re.compile(r"\bMINUS\b", re.I), "MINUS"),
    (re.compile(r"\bVALUES\b", re.I), "VALUES"),
    (re.compile(r"\bSERVICE\b", re.I), "SERVICE"),
    (re.compile(r"\bAS\s*[?$]this\b", re.I), "AS $this"),
    (re.compile(r"\$(shapesGraph|currentShape)\b"), "$shapesGraph or $currentShape"),
]


@dataclass(frozen=True)
class CompiledConstraint:
    """A SHACL-SPARQL constraint as one query over the whole store."""

    constraint: str
    shape: str
    severity: Severity
    message: str
    query: str
    target: str
    """The shape's focus nodes as a pattern over ``?this``: where none match, the query finds nothing."""


def target_pattern(kind: rdflib.URIRef, value: rdflib.term.Node) -> str:
    """A target's focus nodes as a pattern over ``?this``, each node once."""
    if kind == SH.targetClass:
        return f"?this a <{value}> ."
    return f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{value}> [] }} }}"


def join_target(select: str, target: str, where: str = "the query") -> str:
    """The SELECT with ``$this`` as ``?this``, its outermost group starting with the target pattern.

    :raises Unsupported: the query is outside the limits of pre-binding (see the module).
    """
    code = code_only(select)
    for pattern, name in _REFUSED:
        if pattern.search(code):
            raise Unsupported(f"{where}: {name} (SHACL's pre-binding of $this does not allow it)")
    try:
        outer = where_group(select)[0]
    except Unbalanced as e:
        raise Unsupported(f"{where}: {e}") from None
    for m in re.finditer(r"\bSELECT\b", code[outer:], re.I):
        at = outer + m.start()
        body_start = code.find("{", at)
        try:
            close = group_end(code, body_start)
        except Unbalanced:
            raise Unsupported(f"{where}: unbalanced braces") from None
        projection, body = code[at:body_start], code[body_start : close + 1]
        if re.search(r"[?$]this\b", body) and not re.search(r"[?$]this\b", projection):
            raise Unsupported(f"{where}: a subquery uses $this without projecting it")
    joined = f"{select[: outer + 1]}\n    {target}{select[outer + 1 :]}"
    return re.sub(r"\$this\b", "?this", joined)


def compile_sparql(g: rdflib.Graph) -> list[CompiledConstraint]:
    """Every SHACL-SPARQL constraint of the shapes graph, each compiled for its shape's target."""
    out = []
    for shape, constraint in sorted(g.subject_objects(SH.sparql)):
        where = f"SPARQL constraint {constraint} of {shape}"
        if (shape, SH.path, None) in g:
            raise Unsupported(f"{where}: on a property shape ($PATH is not compiled)")
        targets = [(p, o) for p, o in g.predicate_objects(shape) if str(p).startswith(str(SH) + "target")]
        if len(targets) != 1 or targets[0][0] not in (SH.targetClass, SH.targetSubjectsOf):
            named = ", ".join(str(p) for p, _ in targets) or "none"
            raise Unsupported(f"{where}: targets {named}; only one sh:targetClass or sh:targetSubjectsOf is compiled")
        target = target_pattern(rdflib.URIRef(str(targets[0][0])), targets[0][1])
        prefixes = "".join(
            f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>\n"
            for declarer in g.objects(constraint, SH.prefixes)
            for d in g.objects(declarer, SH.declare)
        )
        select = str(g.value(constraint, SH.select))
        severity = g.value(shape, SH.severity)
        out.append(
            CompiledConstraint(
                constraint=str(constraint),
                shape=str(shape),
                severity=severity_of(severity),
                message=str(g.value(constraint, SH.message)),
                query=prefixes + join_target(select, target, where),
                target=target,
            )
        )
    return out
