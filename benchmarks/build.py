"""How fast ``kgbuild build`` is, stage by stage, against the naive rdflib + pyshacl path.

    python benchmarks/build.py [N ...] [--jobs J] [--sample S] [--forms all|text]

For each N (default: 1,000 and 10,000), writes a synthetic corpus of N
inputs (corpus.py: every input form, both statutory versions, a share of
defective files), builds it into a fresh folder, builds it again unchanged,
and prints:

- the whole build's reports/s, and each stage's: the per-report stages
  (read, parse, map, validate, write) in worker-seconds summed over the
  workers, the joining stages (dumps, store, validation across reports) in
  wall time;
- peak memory: the main process, and the largest worker;
- the unchanged rebuild's time, as a share of the first build;
- the naive path on a sample of S reports, one at a time: parse, an rdflib
  graph, Turtle from rdflib, every shape with pyshacl; and the ratio.

Corpora are kept in benchmarks/.corpus-N (delete it for a fresh one).
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.queues
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import corpus

from kgbuild import __version__
from kgbuild.build import BuildResult, build, iter_inputs
from kgbuild.parse import parse
from kgbuild.pool import default_jobs
from kgbuild.rdf import to_graph
from kgbuild.validate import validate_graph

HERE = Path(__file__).resolve().parent


def corpus_folder(n: int, forms: str) -> Path:
    folder = HERE / f".corpus-{forms}-{n}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        corpus.write(folder, n, seed=n, forms=forms, jobs=default_jobs())
        (folder / ".complete").write_text("")
        print(f"  wrote the corpus in {time.perf_counter() - started:.0f} s")
    return folder


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _build(folder: Path, out: Path, jobs: int, answer: multiprocessing.queues.Queue) -> None:
    started = time.perf_counter()
    result = build([folder], out, jobs=jobs)
    wall = time.perf_counter() - started
    result.validation = None  # the findings are in out/validation.ttl; no need to send them back
    answer.put((result, wall, (peak_mb(resource.RUSAGE_SELF), peak_mb(resource.RUSAGE_CHILDREN))))


def measured_build(folder: Path, out: Path, jobs: int) -> tuple[BuildResult, float, tuple[float, float]]:
    """A build in a fresh process, so that its peak memory is its own (not the corpus writer's)."""
    ctx = multiprocessing.get_context("spawn")
    answer = ctx.Queue()
    process = ctx.Process(target=_build, args=(folder, out, jobs, answer))
    process.start()
    measured = answer.get()
    process.join()
    return measured


def naive(paths: list[Path]) -> float:
    """Seconds a report on the naive path: rdflib for the graph and its Turtle, pyshacl for the shapes."""
    started = time.perf_counter()
    done = 0
    for path in paths:
        try:
            report = parse(path)
        except Exception:
            continue
        graph = to_graph(report)
        graph.serialize(format="turtle")
        validate_graph(graph)
        done += 1
    return (time.perf_counter() - started) / max(done, 1)


def run(n: int, jobs: int, sample: int, forms: str) -> None:
    print(f"\n{n:,} inputs ({forms} forms), {jobs} workers")
    folder = corpus_folder(n, forms)
    kinds: dict[str, int] = {}
    for p in iter_inputs([folder]):
        kinds[p.suffix] = kinds.get(p.suffix, 0) + 1
    print("  inputs: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
    with tempfile.TemporaryDirectory(dir=HERE) as tmp:
        out = Path(tmp) / "out"
        first, wall, first_peak = measured_build(folder, out, jobs)
        again, rebuild, _ = measured_build(folder, out, jobs)
        assert again.reused == sum(1 for i in first.inputs if i.status != "duplicate")
    reports = first.reports
    print(
        f"  built {reports:,} reports ({len(first.failed)} failed inputs), {first.triples:,} triples, "
        f"in {wall:.1f} s: {n / wall:.1f} inputs/s"
    )
    # Every quad of the build (ontology, reports, shared, validation, description) over its observations.
    print(
        f"  {first.triples / max(first.observations, 1):.2f} quads per observation "
        f"({first.observations:,} observations)"
    )
    for stage in ("read", "parse", "map", "validate", "write"):
        s = first.seconds.get(stage, 0.0)
        print(f"    {stage:<20} {s:7.1f} worker-s  {n / s if s else 0:8.0f} inputs/s a worker")
    for stage in ("inputs", "dumps", "store", "validate collection"):
        s = first.seconds.get(stage, 0.0)
        print(f"    {stage:<20} {s:7.1f} s         {n / s if s else 0:8.0f} inputs/s")
    print(f"  peak memory: main {first_peak[0]:.0f} MB, largest worker {first_peak[1]:.0f} MB")
    print(f"  rebuild, nothing changed: {rebuild:.2f} s ({rebuild / wall:.1%} of the first build)")
    rng = random.Random(n)
    paths = [p for p in iter_inputs([folder])]
    per_report = naive(rng.sample(paths, min(sample, len(paths))))
    print(
        f"  naive rdflib + pyshacl, one report at a time: {per_report * 1000:.0f} ms a report "
        f"({1 / per_report:.2f} reports/s); kgbuild build is {per_report / (wall / n):.0f} times faster a report"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10_000])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--sample", type=int, default=20, help="reports for the naive path")
    parser.add_argument("--forms", choices=["all", "text"], default="all")
    args = parser.parse_args()
    print(
        f"kgbuild {__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{default_jobs()} cores, {platform.platform()}"
    )
    for n in args.sizes:
        run(n, args.jobs, args.sample, args.forms)


if __name__ == "__main__":
    sys.exit(main())
