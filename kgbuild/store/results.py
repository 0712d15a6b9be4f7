"""Query answers and what shapes a query: results as plain values, bound parameters, prefixes."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from pyoxigraph import Literal, NamedNode, Triple

from ..errors import BadQuery, KgbuildError
from ..rdf.namespaces import PREFIXES
from ..sparqltext import Unbalanced, code_only, where_group

Row = list[object]


class StoreUnavailable(KgbuildError):
    """A SPARQL server cannot be reached, or refuses; or an embedded store cannot be opened."""


class StoreBusy(StoreUnavailable):
    """Another process holds the embedded store open for writing (``kgbuild serve --writable``, a build)."""


@dataclass(frozen=True)
class Results:
    """A query's answer: its variables, and rows of plain values (None where unbound).

    Integers come as :class:`int`, decimals as :class:`~decimal.Decimal`,
    booleans as :class:`bool`, everything else as its text.
    """

    variables: list[str]
    rows: list[Row]

    def to_dict(self) -> list[dict[str, object]]:
        return [dict(zip(self.variables, r, strict=True)) for r in self.rows]


class GraphStore(Protocol):
    """What kgbuild needs of a triple store."""

    def replace_graph(self, graph: str, ntriples: bytes) -> None: ...
    def append_graph(self, graph: str, ntriples: bytes) -> None: ...
    def drop_graph(self, graph: str) -> None: ...
    def graph_names(self) -> set[str]: ...
    def select(self, query: str, params: Mapping[str, str] | None = None) -> Results: ...


_INTEGERS = {"integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger"}


def literal_value(value: str, datatype: str) -> object:
    """A literal's plain value: numbers as numbers (exact), booleans as bool, everything else as its text."""
    name = datatype.rsplit("#", 1)[-1] if datatype.startswith("http://www.w3.org/2001/XMLSchema#") else ""
    try:
        if name in _INTEGERS:
            return int(value)
        if name == "decimal":
            return Decimal(value)
        if name in ("double", "float"):
            return float(value)
        if name == "boolean":
            return value in ("true", "1")
    except ValueError:
        pass  # an ill-typed literal stays its text
    return value


def plain_value(term: object) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        return literal_value(term.value, term.datatype.value)
    return getattr(term, "value", str(term))


def parameter_term(value: str) -> NamedNode | Literal:
    """A command-line parameter as an RDF term: ``<iri>`` an IRI, digits an integer, else a string."""
    if value.startswith("<") and value.endswith(">"):
        return NamedNode(value[1:-1])
    if value.lstrip("-").isdigit():
        return Literal(value, datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return Literal(value)


def bind(query: str, params: Mapping[str, str] | None) -> str:
    """Bind named parameters by a VALUES block of escaped RDF terms, last in the WHERE group.

    Inside the group it is a join, so it filters on every SPARQL 1.1 server
    (after the query, Virtuoso takes it for an assignment), and it comes after
    any BIND of the same variable. The values never become query text of their
    own: each is one term in N-Triples syntax (quotes, braces and newlines
    escaped), so a value such as ``"} ; DROP ALL`` stays a string.

    :raises BadQuery: a name is no variable of the query's WHERE group (it would bind nothing and
        filter nothing; a variable made in the SELECT clause cannot be bound), or the query has no
        WHERE group.
    """
    if not params:
        return query
    code = code_only(query)
    try:
        start, end = where_group(query)
    except Unbalanced as e:
        raise BadQuery(f"cannot bind parameters: {e}") from None
    for name in params:
        if not name.isidentifier():
            raise BadQuery(f"parameter name {name!r} is not a SPARQL variable name")
        if not re.search(rf"[?$]{re.escape(name)}\b", code[start:end]):
            used = sorted(set(re.findall(r"[?$](\w+)", code[start:end])))
            raise BadQuery(f"the query's WHERE has no variable ?{name} to bind; its variables: {', '.join(used)}")
    # One block per parameter, not one block of several: Virtuoso 7 drops rows of a join with a
    # block of two variables that its single-variable blocks keep. The join is the same.
    blocks = " ".join(f"VALUES ?{name} {{ {parameter_term(v)} }}" for name, v in params.items())
    return f"{query[:end]}  {blocks}\n{query[end:]}"


def with_prefixes(query: str) -> str:
    """The query, with a PREFIX line for each of kgbuild's prefixes it uses and does not declare."""
    code = code_only(query)
    declared = {m.lower() for m in re.findall(r"\bPREFIX\s+([\w-]*):", code, re.I)}
    missing = [
        f"PREFIX {p}: <{iri}>\n"
        for p, iri in PREFIXES.items()
        if p not in declared and re.search(rf"(?<![\w?$:-]){re.escape(p)}:", code)
    ]
    return "".join(missing) + query


def triple_rows(triples: Iterator[Triple]) -> Results:
    return Results(
        ["subject", "predicate", "object"],
        [[plain_value(t.subject), plain_value(t.predicate), plain_value(t.object)] for t in triples],
    )
