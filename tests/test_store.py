"""The stores: embedded Oxigraph, and a real Oxigraph server over HTTP.

The server is the `oxigraph` package's binary, started on 127.0.0.1 and a
free port for this module, and stopped after it. Nothing is mocked.
"""

from __future__ import annotations

import http.server
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import free_port, oxigraph_server, wait_for

from kgbuild import KgbuildError
from kgbuild.build import build
from kgbuild.cli import cli
from kgbuild.resources import query_text
from kgbuild.store import OxigraphStore, SparqlStore, StoreUnavailable, load

ROOT = Path(__file__).parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def built(query_build: Path) -> Path:
    return query_build


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` on 127.0.0.1 and a free port."""
    with oxigraph_server(tmp_path_factory.mktemp("server-store")) as url:
        yield url


@pytest.fixture(scope="module")
def loaded(server: str, built: Path) -> SparqlStore:
    store = SparqlStore(server)
    load(built, store)
    return store


@pytest.mark.server
def test_reloading_changes_nothing(loaded: SparqlStore, built: Path) -> None:
    before = loaded.select(COUNT).rows
    load(built, loaded)
    assert loaded.select(COUNT).rows == before
    assert before == OxigraphStore(built / "store").select(COUNT).rows


@pytest.mark.server
@pytest.mark.parametrize(
    "value",
    ['"} ; DROP ALL', "} ; DROP ALL ; SELECT * WHERE {", '夏县人民政府" . ?s ?p ?o . "', "\\\\", "{", "<x> } ;"],
)
def test_a_parameter_cannot_change_the_query(loaded: SparqlStore, built: Path, value: str) -> None:
    before = loaded.select(COUNT).rows
    for store in (loaded, OxigraphStore(built / "store")):
        results = store.select(query_text("reports"), {"agency": value})
        assert results.rows == []
    assert loaded.select(COUNT).rows == before


@pytest.mark.server
def test_a_parameter_binds_a_value(loaded: SparqlStore) -> None:
    rows = loaded.select(query_text("reports"), {"agency": "夏县人民政府"}).rows
    assert [(r[0], r[1]) for r in rows] == [("夏县人民政府", 2020), ("夏县人民政府", 2021)]


@pytest.mark.server
def test_cli_load_and_query_over_http(server: str, built: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["load", str(built), "--endpoint", server], catch_exceptions=False)
    assert result.exit_code == 0 and result.stdout.endswith(f"graphs loaded into {server}\n")
    result = runner.invoke(cli, ["query", "applications", "--endpoint", server, "--format", "csv",
                                 "--param", "agency=桦川县人民政府"], catch_exceptions=False)  # fmt: skip
    assert (
        result.stdout
        == "agency,year,new,carried,answered,forward,file\n桦川县人民政府,2020,9,0,9,0,huachuan-2020.txt\n"
    )


def test_a_server_that_is_down_is_named(built: Path) -> None:
    port = free_port()  # nothing listens there
    store = SparqlStore(f"http://127.0.0.1:{port}", retries=1, backoff=0.01)
    with pytest.raises(StoreUnavailable) as e:
        load(built, store)
    assert str(e.value).startswith(f"http://127.0.0.1:{port}/store: loading graph ")
    assert "failed after 2 tries" in str(e.value)
    result = CliRunner().invoke(cli, ["query", "reports", "--endpoint", f"http://127.0.0.1:{port}", "--retries", "0"])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: http://127.0.0.1:{port}/query: the query failed after 1 tries")


def test_credentials_come_from_the_environment_and_are_never_printed(built: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KGBUILD_SPARQL_USER", "analyst")
    monkeypatch.setenv("KGBUILD_SPARQL_PASSWORD", "s3cret-pw")
    port = free_port()
    result = CliRunner().invoke(cli, ["load", str(built), "--endpoint", f"http://127.0.0.1:{port}", "--retries", "0"])
    assert result.exit_code == 3
    assert "s3cret-pw" not in result.output and "analyst" not in result.output
    assert SparqlStore(f"http://127.0.0.1:{port}")._headers()["Authorization"].startswith("Basic ")


def test_embedded_store_after_build(built: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "reports", "--store", str(built / "store"), "--format", "json"])
    assert result.exit_code == 0
    assert "shanghai-office-2019.html" in result.stdout


def test_bad_query_is_a_clear_error(built: Path) -> None:
    with pytest.raises(KgbuildError, match="not valid SPARQL"):
        OxigraphStore(built / "store").select("SELECT WHERE")


def test_serve_answers_over_http(built: Path) -> None:
    """`kgbuild serve`: the Oxigraph server on 127.0.0.1, over the build's store, union of graphs by default."""
    import sys

    store = built.parent / "served-store"
    shutil.copytree(built / "store", store)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kgbuild", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(process, f"{url}/query?query=ASK%7B%7D")
        rows = SparqlStore(url).select(query_text("reports")).rows
        assert len(rows) == 6
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_load_streams_one_graph_at_a_time(tmp_path: Path, built: Path) -> None:
    """A dump is read as it is loaded: graphs come out before a broken line far down is met."""
    from kgbuild.errors import KgbuildError
    from kgbuild.store import graphs_of

    g = "http://example.org/g"
    first = f'<http://example.org/a> <http://example.org/p> "1" <{g}> .\n'.encode()
    again = f'<http://example.org/b> <http://example.org/p> "2" <{g}> .\n'.encode()
    body = (built / "kgbuild.nq").read_bytes()
    dump = tmp_path / "dump.nq"
    dump.write_bytes(first + body + again + b"<broken\n")
    seen = []
    with pytest.raises(KgbuildError, match="not a valid N-Quads dump"):
        for graph, _, met_before in graphs_of(dump):
            seen.append((graph, met_before))
    assert seen[0] == (g, False) and len(seen) > 5  # the run of g cut off by the broken line is not given
    dump.write_bytes(first + body + again)
    store = OxigraphStore(tmp_path / "store", create=True)
    load(dump, store)
    load(dump, store)  # again: each graph replaced, the one met twice holds both parts once
    rows = store.select(f"SELECT ?s WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }} ORDER BY ?s").rows
    assert rows == [["http://example.org/a"], ["http://example.org/b"]]


def _graphs(build_folder: Path) -> set[str]:
    from kgbuild.store import graphs_of

    return {g for g, _, _ in graphs_of(build_folder)}


def test_load_prune_removes_the_graphs_of_reports_gone_from_the_build(tmp_path: Path, built: Path) -> None:
    smaller = tmp_path / "smaller"
    build([ROOT / "examples"], smaller)  # the same build without two of its reports
    gone = _graphs(built) - _graphs(smaller)
    assert len(gone) == 3  # the two reports, and the graph that linked one to its previous year
    mine = "http://example.org/my-own-graph"
    with oxigraph_server(tmp_path / "server") as url:
        for store in (OxigraphStore(tmp_path / "store", create=True), SparqlStore(url)):
            store.append_graph(mine, b'<http://example.org/a> <http://example.org/p> "kept" .\n')
            load(built, store)
            assert load(smaller, store).pruned == ()  # without --prune nothing goes
            assert store.graph_names() == _graphs(built) | {mine}
            assert set(load(smaller, store, prune=True).pruned) == gone
            assert store.graph_names() == _graphs(smaller) | {mine}  # another's graph is never touched
    again = CliRunner().invoke(cli, ["load", str(smaller), "--store", str(tmp_path / "store"), "--prune"])
    assert again.exit_code == 0 and again.stdout.endswith("; 0 graphs no longer in the build removed\n")


class _Flaky(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that fails its first answers with 503, then answers."""

    failures = 2

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        if _Flaky.failures:
            _Flaky.failures -= 1
            self.send_response(503)
            self.end_headers()
            self.wfile.write(
                b"<html><head><title>busy</title></head><body><h1>Try later:\n overloaded</h1></body></html>"
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(
            b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
        )

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_error_is_retried_then_named_in_one_line() -> None:
    import threading

    server = http.server.HTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        _Flaky.failures = 2
        assert SparqlStore(query_url=url, backoff=0.01).select("SELECT ?n WHERE {}").rows == [["1"]]
        _Flaky.failures = 5
        with pytest.raises(StoreUnavailable) as e:
            SparqlStore(query_url=url, retries=2, backoff=0.01).select("SELECT ?n WHERE {}")
        assert str(e.value) == f"{url}: the query: HTTP 503 Service Unavailable: Try later: overloaded"
        assert _Flaky.failures == 2  # three tries
    finally:
        server.shutdown()
