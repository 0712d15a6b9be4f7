"""The vocabularies kgbuild writes, and the prefixes its dumps use."""

from __future__ import annotations

OGI = "https://w3id.org/kgbuild/def#"
CODE = "https://w3id.org/kgbuild/code/"
QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_CODE = "http://purl.org/linked-data/sdmx/2009/code#"
SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
CNY = "http://qudt.org/vocab/unit/CCY_CNY"
"""The currency of money cells, with sdmx-attribute:unitMult 4: 万元 is CNY × 10⁴."""
YEAR = "http://reference.data.gov.uk/id/year/"
"""UK government reference intervals: one IRI per calendar year."""

PREFIXES = {
    "ogi": OGI,
    "code": CODE,
    "qb": QB,
    "skos": SKOS,
    "org": ORG,
    "prov": PROV,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "year": YEAR,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "sdmx-code": SDMX_CODE,
    "sdmx-dimension": SDMX_DIMENSION,
}
