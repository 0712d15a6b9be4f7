"""How long each bundled query takes on a build's embedded store.

    python benchmarks/queries.py BUILD [--repeat R] [--timeout S]

BUILD is a build folder (``kgbuild build … -o BUILD``; benchmarks/build.py
keeps its corpora in benchmarks/.corpus-*). Each bundled query is run R times
(default 2) in a process of its own on the store opened read-only, as
``kgbuild query`` opens it, and the best time is printed with the number of
rows; a query still running after S seconds (default 300) is stopped and
shown as such. The target (issue 16): every query under 1 s on a
10,000-report build.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.queues
import queue
import time
from pathlib import Path

from kgbuild.resources import query_names, query_text
from kgbuild.store import OxigraphStore, with_prefixes


def timed(build: Path, name: str, repeat: int, answer: multiprocessing.queues.Queue) -> None:
    """Put the best of ``repeat`` runs of a bundled query, and its row count, on ``answer``."""
    store = OxigraphStore(build / "store")
    text = with_prefixes(query_text(name))
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(store.select(text).rows)
        times.append(time.perf_counter() - started)
    answer.put((min(times), rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    store = OxigraphStore(args.build / "store")
    reports = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/kgbuild/def#AnnualReport> }")
    del store
    print(f"{reports.rows[0][0]:,} reports in {args.build}; best of {args.repeat} runs")
    for name in query_names():
        answer: multiprocessing.queues.Queue = multiprocessing.Queue()
        process = multiprocessing.Process(target=timed, args=(args.build, name, args.repeat, answer))
        process.start()
        try:
            seconds, rows = answer.get(timeout=args.timeout * args.repeat)
            print(f"  {name:<26}{seconds:8.3f} s {rows:>10,} rows", flush=True)
        except queue.Empty:
            print(f"  {name:<26}  > {args.timeout:.0f} s (stopped)", flush=True)
        process.kill()  # a query cannot be cancelled: its process ends with it
        process.join()


if __name__ == "__main__":
    main()
