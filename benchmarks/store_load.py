"""How fast Oxigraph's bulk loader fills an on-disk store, whole or in chunks: the floor under `kgbuild build`.

    python benchmarks/store_load.py DUMP.nq [CHUNK_MB ...]

Loads DUMP.nq (a build's kgbuild.nq) into a fresh on-disk store, once per
chunk size (default: 64 and 256 MB, and the whole file in one bulk load by
path), each in a fresh process, and prints wall time, CPU time (the loader
uses every core) and peak memory. The store stage of a build can be no
faster than this.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import tempfile
import time
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from kgbuild.build import load_in_chunks


def _load(dump: Path, chunk_mb: int | None, answer: multiprocessing.queues.Queue) -> None:  # type: ignore[name-defined]
    folder = Path(tempfile.mkdtemp(prefix="kgbuild-store-"))
    try:
        store = Store(str(folder))
        started = time.perf_counter()
        if chunk_mb is None:
            store.bulk_load(path=str(dump), format=RdfFormat.N_QUADS)
        else:
            load_in_chunks(store, dump, chunk_mb * 2**20)  # as kgbuild build loads its store
        store.flush()
        wall = time.perf_counter() - started
        quads = len(store)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        answer.put((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, quads))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump", type=Path)
    parser.add_argument("chunks", type=int, nargs="*", default=[64, 256])
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    for chunk in [*args.chunks, None]:
        answer = ctx.Queue()
        process = ctx.Process(target=_load, args=(args.dump, chunk, answer))
        process.start()
        wall, cpu, peak, quads = answer.get()
        process.join()
        how = f"{chunk} MB chunks" if chunk else "one bulk load"
        print(
            f"{how:>16}: {quads:,} quads in {wall:.0f} s ({quads / wall:,.0f} quads/s), "
            f"{cpu:.0f} CPU-s, peak {peak:,.0f} MB"
        )


if __name__ == "__main__":
    main()
