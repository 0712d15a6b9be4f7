"""The metrics researchers compute from the tables, as ``ontology/metrics.ttl`` defines them.

Each metric is a ratio of two sums of a report's cells. The definitions are
read from the ontology, never written here again: the wide export computes
them with :func:`compute`, the bundled query ``metrics`` in SPARQL, and a
test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import rdflib

from .rdf.iris import code
from .resources import ontology_files
from .statute import VERSIONS, cell_keys

_OGI = rdflib.Namespace("https://w3id.org/kgbuild/def#")


@dataclass(frozen=True)
class Metric:
    """One metric: its name, labels, definition, and the signed cell keys of its two sums."""

    name: str
    label_zh: str
    label_en: str
    definition: str
    numerator: tuple[tuple[int, str], ...]
    """(sign, cell key) terms."""
    denominator: tuple[tuple[int, str], ...]

    @property
    def keys(self) -> set[str]:
        return {k for _, k in self.numerator + self.denominator}

    def compute(self, cells: Mapping[str, int | Decimal | None]) -> Decimal | None:
        """The metric of a report's cells; None where a term's cell is undetermined or the denominator is 0."""
        values = {k: cells.get(k) for k in self.keys}
        if any(v is None for v in values.values()):
            return None
        top = sum((sign * Decimal(values[k] or 0) for sign, k in self.numerator), Decimal(0))
        bottom = sum((sign * Decimal(values[k] or 0) for sign, k in self.denominator), Decimal(0))
        return top / bottom if bottom else None


def _terms(g: rdflib.Graph, metric: rdflib.term.Node, p: rdflib.URIRef) -> tuple[tuple[int, str], ...]:
    """A sum's terms as (sign, cell key): each term names its cell by row and column code."""
    key_of = _keys_by_codes()
    terms = []
    for term in g.objects(metric, p):
        codes = (str(g.value(term, _OGI.row)), str(g.value(term, _OGI.column)))
        if codes not in key_of:
            raise ValueError(f"metric {metric}: a term's codes {codes} name no cell of either form")
        terms.append((int(str(g.value(term, _OGI.sign))), key_of[codes]))
    return tuple(sorted(terms, key=lambda t: (t[1], t[0])))


@cache
def _keys_by_codes() -> dict[tuple[str, str], str]:
    return {code(key): key for version in VERSIONS for key in cell_keys(version)}


@cache
def metrics() -> tuple[Metric, ...]:
    """Every metric the ontology defines, by name."""
    g = rdflib.Graph()
    for f in ontology_files():
        if f.name == "metrics.ttl":
            g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    out = []
    for m in g.subjects(rdflib.RDF.type, _OGI.Metric):

        def label(lang: str, m: rdflib.term.Node = m) -> str:
            return next((str(v) for v in g.objects(m, rdflib.SKOS.prefLabel) if v.language == lang), "")  # type: ignore[attr-defined]

        out.append(
            Metric(
                name=str(g.value(m, rdflib.SKOS.notation)),
                label_zh=label("zh"),
                label_en=label("en"),
                definition=str(g.value(m, rdflib.SKOS.definition)),
                numerator=_terms(g, m, _OGI.numerator),
                denominator=_terms(g, m, _OGI.denominator),
            )
        )
    return tuple(sorted(out, key=lambda m: m.name))
