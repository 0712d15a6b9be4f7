"""What a build publishes besides the reports: the ontology, and the dataset's description."""

from __future__ import annotations

import hashlib
from functools import cache

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from .. import __version__
from ..rdf.iris import Iris
from ..rdf.mapping import by_subject
from ..rdf.namespaces import CODE, DCAT, DCTERMS, OGI, PREFIXES, QB, RDF, VOID, XSD
from ..resources import ontology_files, shape_files

ONTOLOGY_GRAPHS = {"kgbuild.ttl": "https://w3id.org/kgbuild/def", "codes.ttl": CODE}
"""The named graph each ontology file is loaded into."""

LAYOUT = "2"
"""The build folder's layout (2: a report's shared quads in a file of their own)."""


@cache
def rules_digest() -> str:
    """What else decides a report's graph and findings: the ontology and the shapes."""
    h = hashlib.sha256()
    for f in [*ontology_files(), *shape_files()]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def made_by(base: str) -> dict[str, str]:
    """What decides whether an earlier build's results are this build's: kgbuild, its rules, the IRIs."""
    return {"kgbuild": __version__, "rules": rules_digest(), "base": base, "layout": LAYOUT}


@cache
def ontology_quads() -> tuple[Quad, ...]:
    """The ontology and code lists, each in its own named graph."""
    quads: list[Quad] = []
    for f in ontology_files():
        graph = NamedNode(ONTOLOGY_GRAPHS.get(f.name, f"https://w3id.org/kgbuild/def/{f.name}"))
        for t in parse(f.read_bytes(), format=RdfFormat.TURTLE):
            quads.append(Quad(t.subject, t.predicate, t.object, graph))
    return tuple(quads)


def description_quads(iris: Iris, reports: int, observations: int, triples: int) -> list[Quad]:
    """The dataset as VoID and DCAT describe it: counts, dumps, vocabularies."""
    d = iris.dataset
    g = NamedNode(iris.dataset_graph)
    out: list[Quad] = []

    def add(s: str, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(NamedNode(s), NamedNode(p), o, g))

    def count(n: int) -> Literal:
        return Literal(str(n), datatype=NamedNode(f"{XSD}integer"))

    add(d, f"{RDF}type", NamedNode(f"{VOID}Dataset"))
    add(d, f"{RDF}type", NamedNode(f"{DCAT}Dataset"))
    add(d, f"{DCTERMS}title", Literal("政府信息公开工作年度报告", language="zh"))
    add(d, f"{DCTERMS}title", Literal("Annual reports on open government information", language="en"))
    add(
        d,
        f"{DCTERMS}description",
        Literal(
            "The statutory tables of Chinese agencies' annual reports on open government information, "
            "cell by cell, as W3C Data Cube observations, with provenance to the source line.",
            language="en",
        ),
    )
    add(d, f"{VOID}uriSpace", Literal(iris.base))
    add(d, f"{VOID}triples", count(triples))
    for vocabulary in (OGI, CODE, QB, PREFIXES["skos"], PREFIXES["org"], PREFIXES["prov"], DCTERMS, DCAT):
        add(d, f"{VOID}vocabulary", NamedNode(vocabulary))
    for name, cls, n in (
        ("reports", f"{OGI}AnnualReport", reports),
        ("observations", f"{QB}Observation", observations),
    ):
        part = f"{d}/{name}"
        add(d, f"{VOID}classPartition", NamedNode(part))
        add(part, f"{VOID}class", NamedNode(cls))
        add(part, f"{VOID}entities", count(n))
    for dump, media in (("kgbuild.ttl", "text/turtle"), ("kgbuild.nq", "application/n-quads")):
        url = f"{iris.base}dump/{dump}"
        dist = f"{d}/{dump}"
        add(d, f"{VOID}dataDump", NamedNode(url))
        add(d, f"{DCAT}distribution", NamedNode(dist))
        add(dist, f"{RDF}type", NamedNode(f"{DCAT}Distribution"))
        add(dist, f"{DCAT}downloadURL", NamedNode(url))
        add(dist, f"{DCAT}mediaType", NamedNode(f"https://www.iana.org/assignments/media-types/{media}"))
    return by_subject(out)
