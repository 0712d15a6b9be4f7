"""Every bundled query gives the same rows on every store: embedded Oxigraph, the Oxigraph server and
Virtuoso 7, real servers over HTTP (tests/servers.py), loaded by `kgbuild load`.

The corpus has what each query looks for: two years of one agency (carry-over,
changes), a report that breaks the balance rules (violations), blank and
inferred cells. Virtuoso runs with ResultSetMaxRows far below what `cells`
returns, so those rows come page by page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import VIRTUOSO_MAX_ROWS, Virtuoso, oxigraph_server, virtuoso_server

from kgbuild.cli import cli
from kgbuild.errors import BadQuery
from kgbuild.resources import query_names, query_text
from kgbuild.store import OxigraphStore, Results, SparqlStore, StoreUnavailable, bind, load

PARAMETERS = [{"agency": "夏县人民政府"}, {"year": "2020"}, {"agency": "上海市人民政府办公厅", "year": "2019"}]


def _cases() -> Iterator[tuple[str, dict[str, str]]]:
    """Each bundled query alone, and with each set of parameters it has variables for."""
    for name in query_names():
        yield name, {}
        for params in PARAMETERS:
            try:
                bind(query_text(name), params)
            except BadQuery:
                continue
            yield name, params


CASES = list(_cases())


@pytest.fixture(scope="module")
def built(query_build: Path) -> Path:
    return query_build


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Iterator[Virtuoso]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, built: Path, virtuoso: Virtuoso) -> Iterator[dict[str, object]]:
    """The three stores, each holding the build; Virtuoso loaded through the CLI, with Digest auth."""
    runner = CliRunner(env={"KGBUILD_SPARQL_USER": virtuoso.user, "KGBUILD_SPARQL_PASSWORD": virtuoso.password})
    loaded = runner.invoke(cli, ["load", str(built), "--store-url", virtuoso.store_url, "--auth", "digest"])
    assert loaded.exit_code == 0, loaded.output
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        oxigraph = SparqlStore(url)
        load(built, oxigraph)
        yield {
            "embedded": OxigraphStore(built / "store"),
            "oxigraph-server": oxigraph,
            "virtuoso": SparqlStore(query_url=virtuoso.query_url),
        }


def _typed(results: Results) -> list[list[tuple[str, object]]]:
    """Rows with each value's Python type: 1 and 1.0 and true are told apart."""
    return [[(type(v).__name__, v) for v in row] for row in results.rows]


@pytest.mark.server
@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p) or 'all'}" for n, p in CASES])
def test_every_store_gives_the_same_rows(stores: dict[str, OxigraphStore | SparqlStore], name: str, params) -> None:  # type: ignore[no-untyped-def]
    embedded = stores["embedded"].select(query_text(name), params)
    if not params:
        assert embedded.rows, name  # the corpus exercises every query
    for where in ("oxigraph-server", "virtuoso"):
        answer = stores[where].select(query_text(name), params)
        assert answer.variables == embedded.variables, where
        assert _typed(answer) == _typed(embedded), where


@pytest.mark.server
def test_virtuoso_rows_past_its_limit_are_read_page_by_page(stores: dict[str, OxigraphStore | SparqlStore]) -> None:
    cells = stores["virtuoso"].select(query_text("cells"))
    assert len(cells.rows) > 5 * VIRTUOSO_MAX_ROWS
    assert cells.rows == stores["embedded"].select(query_text("cells")).rows
    unordered = "SELECT ?o WHERE { ?o ogi:value ?v }"  # pages need an order: kgbuild gives one
    everything = stores["virtuoso"].select(f"PREFIX ogi: <https://w3id.org/kgbuild/def#> {unordered}").rows
    assert len(everything) == len(cells.rows) == len({r[0] for r in everything})


@pytest.mark.server
def test_pages_go_past_virtuosos_limit_on_sorting(stores: dict[str, SparqlStore]) -> None:
    """Virtuoso refuses ORDER BY with an OFFSET past MaxSortedTopRows; kgbuild's pages still get every row."""
    query = "SELECT ?o WHERE { ?o <https://w3id.org/kgbuild/def#value> ?v } ORDER BY ?o"
    with pytest.raises(StoreUnavailable, match="SR353"):
        SparqlStore(query_url=stores["virtuoso"].query_url, retries=0).select(f"{query} LIMIT 10 OFFSET 300")
    assert stores["virtuoso"].select(query).rows == stores["embedded"].select(query).rows


@pytest.mark.server
def test_virtuoso_errors_are_one_line_with_its_reason(virtuoso: Virtuoso, built: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["query", "-e", "SELECT * WHERE { ?s ?p }", "--query-url", virtuoso.query_url])
    assert bad.exit_code == 2
    assert bad.stderr.count("\n") == 1 and "SP030: SPARQL compiler" in bad.stderr
    wrong_password = CliRunner(env={"KGBUILD_SPARQL_USER": "dba", "KGBUILD_SPARQL_PASSWORD": "not-it"}).invoke(
        cli, ["load", str(built), "--store-url", virtuoso.store_url, "--auth", "digest"]
    )
    assert wrong_password.exit_code == 3
    assert wrong_password.stderr.count("\n") == 1 and "HTTP 401" in wrong_password.stderr
    assert "not-it" not in wrong_password.output


BULK = ("reports", "cells", "violations", "carry-over")


@pytest.mark.server
def test_the_servers_bulk_loaders_take_the_dump(tmp_path: Path, built: Path) -> None:
    """The README's recipes for large builds: `oxigraph load`, and Virtuoso's ld_dir and rdf_loader_run."""
    import shutil
    import subprocess

    embedded = OxigraphStore(built / "store")
    location = tmp_path / "oxigraph"
    binary = shutil.which("oxigraph")
    assert binary
    subprocess.run([binary, "load", "--location", str(location), "--file", str(built / "kgbuild.nq")], check=True)
    with oxigraph_server(location) as url:
        for name in BULK:
            assert SparqlStore(url).select(query_text(name)).rows == embedded.select(query_text(name)).rows, name
    with virtuoso_server(tmp_path / "virtuoso") as virtuoso:
        shutil.copy(built / "kgbuild.nq", virtuoso.folder / "kgbuild.nq")
        virtuoso.sql(f"ld_dir('{virtuoso.folder}', 'kgbuild.nq', 'urn:kgbuild:unused'); rdf_loader_run(); checkpoint;")
        for name in BULK:
            answer = SparqlStore(query_url=virtuoso.query_url).select(query_text(name))
            assert answer.rows == embedded.select(query_text(name)).rows, name
