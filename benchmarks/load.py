"""How much memory and time ``kgbuild load`` takes to put a build into a SPARQL server.

    python benchmarks/load.py BUILD

Starts an Oxigraph server (the ``oxigraph`` package) on 127.0.0.1 over a
fresh folder, runs ``kgbuild load BUILD --endpoint …`` in its own process,
and prints its wall time and peak memory (the target, issue 16: under 500 MB
for a 10,000-report build, whatever the dump's size), then the same for a
reload (every graph replaced) with --prune.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB of a command run in its own process (nothing else is a child then)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    args = parser.parse_args()
    binary = shutil.which("oxigraph")
    assert binary, "pip install oxigraph"
    dump = args.build / "kgbuild.nq"
    print(f"{dump}: {dump.stat().st_size / 2**20:,.0f} MB")
    with tempfile.TemporaryDirectory() as location:
        port = free_port()
        server = subprocess.Popen(
            [binary, "serve", "--location", location, "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            load = [sys.executable, "-m", "kgbuild", "load", str(args.build), "--endpoint", url]
            seconds, peak = measured(load)
            print(f"  kgbuild load:          {seconds:8.1f} s, peak {peak:6.0f} MB")
            seconds, peak = measured([*load, "--prune"])
            print(f"  again, with --prune:   {seconds:8.1f} s, peak {peak:6.0f} MB (the larger of both runs)")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
