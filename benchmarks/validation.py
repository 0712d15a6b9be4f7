"""How long SHACL validation takes, per engine, on a synthetic corpus.

    python benchmarks/validation.py [N]

Builds N synthetic reports' graphs in memory, then times: the store engine's
SPARQL constraints over all N at once; its SHACL Core part (pyshacl) on a
sample; and pyshacl with every shape (the naive path) on a sample. Prints
reports/s and the time 10,000 reports would take.
"""

from __future__ import annotations

import os
import random
import sys
import time

from corpus import report
from pyoxigraph import Store

from kgbuild import parse
from kgbuild.build import ontology_quads
from kgbuild.rdf import to_graph, to_quads
from kgbuild.validate import validate_core, validate_graph, validate_sparql


def main(n: int = 1000, sample: int = 40) -> None:
    rng = random.Random(7)
    reports = [parse(data, name=name) for name, data in (report(rng, i, forms="text") for i in range(n))]
    store = Store()
    store.extend(ontology_quads())
    for r in reports:
        store.extend(to_quads(r))
    t = time.perf_counter()
    findings = validate_sparql(store)
    sparql = time.perf_counter() - t
    graphs = [to_graph(r) for r in reports[:sample]]
    t = time.perf_counter()
    validate_core((g.serialize(format="nt").encode() for g in graphs), jobs=1)
    core = (time.perf_counter() - t) / sample
    t = time.perf_counter()
    validate_core((g.serialize(format="nt").encode() for g in graphs), jobs=os.cpu_count())
    core_parallel = (time.perf_counter() - t) / sample
    t = time.perf_counter()
    for g in graphs[:5]:
        validate_graph(g)
    naive = (time.perf_counter() - t) / 5
    print(f"{n} reports, {len(store)} quads, {len(findings)} SPARQL findings")
    print(f"SPARQL constraints, all reports at once: {sparql:.2f} s ({n / sparql:.0f} reports/s)")
    print(f"SHACL Core with pyshacl, per report:     {core * 1000:.0f} ms ({1 / core:.1f} reports/s)")
    print(f"  in {os.cpu_count()} processes:                  {1 / core_parallel:.1f} reports/s")
    print(f"every shape with pyshacl, per report:    {naive * 1000:.0f} ms ({1 / naive:.1f} reports/s)")
    per_report = sparql / n + core_parallel
    print(f"10,000 reports: store engine {10_000 * per_report / 60:.0f} min; naive {10_000 * naive / 60:.0f} min")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
