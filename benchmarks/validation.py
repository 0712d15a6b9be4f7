"""How long SHACL validation takes, per engine, on a synthetic corpus.

    python benchmarks/validation.py [N]

Builds N synthetic reports' graphs in memory, then times the store engine
(the SHACL-SPARQL constraints and the SHACL Core shapes compiled to SPARQL,
over all N at once) and pyshacl with every shape, report by report (the
naive path), on a sample. Prints reports/s and the time 10,000 reports take.
"""

from __future__ import annotations

import random
import sys
import time

from corpus import report
from pyoxigraph import Store

from kgbuild import parse
from kgbuild.build import ontology_quads
from kgbuild.rdf import to_graph, to_quads
from kgbuild.validate import validate_core, validate_graph, validate_sparql


def main(n: int = 1000, sample: int = 5) -> None:
    rng = random.Random(7)
    reports = [parse(data, name=name) for name, data in (report(rng, i, forms="text") for i in range(n))]
    store = Store()
    store.extend(ontology_quads())
    for r in reports:
        store.extend(to_quads(r))
    t = time.perf_counter()
    findings = validate_sparql(store)
    sparql = time.perf_counter() - t
    t = time.perf_counter()
    core_findings = validate_core(store)
    core = time.perf_counter() - t
    t = time.perf_counter()
    for r in reports[:sample]:
        validate_graph(to_graph(r))
    naive = (time.perf_counter() - t) / sample
    print(f"{n} reports, {len(store)} quads, {len(findings)} SPARQL and {len(core_findings)} Core findings")
    print(f"SHACL-SPARQL constraints, all reports at once: {sparql:.2f} s ({n / sparql:.0f} reports/s)")
    print(f"SHACL Core compiled to SPARQL, all at once:    {core:.2f} s ({n / core:.0f} reports/s)")
    print(f"every shape with pyshacl, report by report:    {naive * 1000:.0f} ms a report ({1 / naive:.1f} reports/s)")
    per_report = (sparql + core) / n
    print(f"10,000 reports: store engine {10_000 * per_report / 60:.1f} min; pyshacl {10_000 * naive / 60:.0f} min")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
