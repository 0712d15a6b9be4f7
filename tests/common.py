"""Paths and expected values shared by the tests."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = FIXTURES / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["reports"]


def expected_cells(name: str) -> dict[str, int | Decimal | None]:
    """A seed's hand-checked cells, money as Decimal."""
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in EXPECTED[name]["cells"].items()}


def store_of(*reports):  # type: ignore[no-untyped-def]
    """An embedded store holding the ontology and the reports' graphs."""
    from pyoxigraph import Store

    from kgbuild.build import ontology_quads
    from kgbuild.rdf import to_quads

    store = Store()
    store.extend(ontology_quads())
    for r in reports:
        store.extend(to_quads(r))
    return store


def checked_findings(*reports):  # type: ignore[no-untyped-def]
    """The store engine's SHACL findings on the reports, held to pyshacl's on the same graph."""
    import rdflib

    from kgbuild.rdf import to_graph
    from kgbuild.validate import validate_graph, validate_store

    fast = validate_store(store_of(*reports)).findings
    data = rdflib.Graph()
    for r in reports:
        data += to_graph(r)
    reference = validate_graph(data).findings
    assert sorted(f.key for f in fast) == sorted(f.key for f in reference)
    return fast
