"""How long each bundled query takes on a build's embedded store.

    python benchmarks/queries.py BUILD [--repeat R] [--param NAME=VALUE ...]

BUILD is a build folder (``kgbuild build … -o BUILD``; benchmarks/build.py
keeps its corpora in benchmarks/.corpus-*). Each bundled query is run R times
(default 2) on the store opened read-only, as ``kgbuild query`` opens it, and
the best time is printed with the number of rows. The target (issue 16): every
query under 1 s on a 10,000-report build.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kgbuild.resources import query_names, query_text
from kgbuild.store import OxigraphStore, with_prefixes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    store = OxigraphStore(args.build / "store")
    reports = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/kgbuild/def#AnnualReport> }")
    print(f"{reports.rows[0][0]:,} reports in {args.build}; best of {args.repeat} runs")
    slowest = 0.0
    for name in query_names():
        text = with_prefixes(query_text(name))
        times, rows = [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = len(store.select(text).rows)
            times.append(time.perf_counter() - started)
        slowest = max(slowest, min(times))
        print(f"  {name:<26}{min(times):8.3f} s {rows:>10,} rows")
    print(f"slowest: {slowest:.3f} s")


if __name__ == "__main__":
    main()
