"""Real SPARQL servers for the tests, started on 127.0.0.1 and free ports, and stopped after.

- the Oxigraph server (the `oxigraph` package, a test dependency);
- Virtuoso 7 (Debian's `virtuoso-opensource`, which `.ci/run` installs), with a
  fresh database, its Graph Store endpoint behind HTTP Digest (user dba), and
  ResultSetMaxRows and MaxSortedTopRows set low, so that every query that
  returns more rows than that is read page by page, past both limits.

Where Virtuoso is not installed its tests are skipped, unless
KGBUILD_REQUIRE_SERVERS is set (CI sets it): then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_MAX_ROWS = 100  # below what `cells` returns on the bundled reports


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(process: subprocess.Popen, ready: str, log: Path | None = None) -> None:  # type: ignore[type-arg]
    """Until ``ready`` answers; the server's log if it dies or does not answer in 60 s."""
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(ready, timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                text = log.read_text(errors="replace") if log and log.exists() else process.stderr.read().decode()  # type: ignore[union-attr]
                raise RuntimeError(f"the SPARQL server did not start: {text[-800:]}") from None
            time.sleep(0.2)


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """`oxigraph serve` on a free port; yields its base URL."""
    binary = shutil.which("oxigraph")
    assert binary, "the oxigraph server is a test dependency: pip install oxigraph"
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(process, f"{url}/query?query=ASK%7B%7D")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Virtuoso:
    query_url: str  # anonymous SPARQL endpoint
    store_url: str  # Graph Store endpoint, HTTP Digest
    folder: Path  # its database, and the one folder its bulk loader may read
    sql_port: int
    user: str = "dba"
    password: str = "dba"  # a fresh database's

    def sql(self, statements: str) -> str:
        """Run SQL statements (Virtuoso's bulk loader) through isql; their output."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        assert isql, "Virtuoso's isql-vt comes with virtuoso-opensource"
        command = [isql, f"127.0.0.1:{self.sql_port}", self.user, self.password, f"exec={statements}"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        return done.stdout


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
MaxSortedTopRows = {max_rows}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


@contextmanager
def virtuoso_server(folder: Path, max_rows: int = VIRTUOSO_MAX_ROWS) -> Iterator[Virtuoso]:
    """Virtuoso 7 with a fresh database in ``folder``; skipped where it is not installed."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        message = "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource; .ci/run does it)"
        if os.environ.get("KGBUILD_REQUIRE_SERVERS"):
            pytest.fail(message)
        pytest.skip(message)
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for(process, f"{base}/sparql?query=ASK%7B%7D", folder / "virtuoso.log")
        yield Virtuoso(f"{base}/sparql", f"{base}/sparql-graph-crud-auth", folder, sql_port)
    finally:
        process.terminate()
        process.wait(timeout=30)
