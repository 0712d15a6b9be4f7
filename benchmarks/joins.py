"""The embedded store's cost per joined triple pattern: the floor under every bundled query.

    python benchmarks/joins.py BUILD [--repeat N]

Asks the build's store (read-only, as ``kgbuild query`` opens it) for every
report, then for every report with one, two, three and five more triple
patterns joined, and prints each time (best of N) with the cost per report
and per added pattern. A query that lists reports cannot be faster than its
patterns per report times that cost.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph

PREFIXES = (
    "PREFIX ogi: <https://w3id.org/kgbuild/def#> PREFIX dcterms: <http://purl.org/dc/terms/> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#> "
)
QUERIES = (
    (1, "SELECT ?r WHERE { ?r a ogi:AnnualReport }"),
    (2, "SELECT ?r ?y WHERE { ?r a ogi:AnnualReport ; ogi:reportingYear ?y }"),
    (3, "SELECT ?r ?l WHERE { ?r a ogi:AnnualReport ; dcterms:publisher/skos:prefLabel ?l }"),
    (4, "SELECT ?r ?f WHERE { ?r a ogi:AnnualReport ; prov:wasGeneratedBy/prov:used/ogi:fileName ?f }"),
    (
        6,
        "SELECT ?r ?y ?l ?f WHERE { ?r a ogi:AnnualReport ; ogi:reportingYear ?y ;"
        " dcterms:publisher/skos:prefLabel ?l ; prov:wasGeneratedBy/prov:used/ogi:fileName ?f }",
    ),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = pyoxigraph.Store.read_only(str(args.build / "store"))
    base = None
    for patterns, query in QUERIES:
        best, rows = float("inf"), 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = len(list(store.query(PREFIXES + query, use_default_graph_as_union=True)))
            best = min(best, time.perf_counter() - started)
        base = base if base is not None else best
        extra = (best - base) / rows / (patterns - 1) * 1e6 if patterns > 1 and rows else 0.0
        print(
            f"{patterns} pattern(s): {best:7.3f} s for {rows:,} reports, {best / rows * 1e6:6.1f} µs a report"
            + (f", {extra:5.1f} µs per added pattern" if patterns > 1 else "")
        )


if __name__ == "__main__":
    main()
