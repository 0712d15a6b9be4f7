"""The traps a new user met on a fresh machine, one test each: every one failed before its fix.

They run the real command (click's CliRunner, or a subprocess where a server
or a lock is involved) on real files, as the user did.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from common import FIXTURES, SEEDS
from pyoxigraph import Store

from kgbuild.build import build
from kgbuild.cli import cli

EXAMPLES = Path(__file__).parent.parent / "examples"
SEED = SEEDS / "000_a625d82b2993cd46.txt"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _one_line_error(result: Result, *words: str) -> None:
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0], result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = tmp_path_factory.mktemp("inputs")
    for f in EXAMPLES.glob("*"):
        if f.is_file() and not f.name.startswith("README"):
            shutil.copy(f, inputs)
    out = tmp_path_factory.mktemp("built")
    build([inputs], out, jobs=1)
    return out


# --- Building ---------------------------------------------------------------------


def test_building_in_the_reports_own_folder_leaves_its_output_out(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(SEED, tmp_path)
    monkeypatch.chdir(tmp_path)
    first = run("build", ".", "--quiet")
    second = run("build", ".", "--quiet")
    assert first.exit_code == second.exit_code == 0, second.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [i["source"] for i in manifest["inputs"]] == [SEED.name]
    # and an output folder with another name, or one built before, is no input either
    assert run("build", ".", "--out", "published", "--quiet").exit_code == 0
    manifest = json.loads((tmp_path / "published" / "manifest.json").read_text(encoding="utf-8"))
    assert [i["source"] for i in manifest["inputs"]] == [SEED.name]


def test_a_build_deletes_no_file_it_did_not_write(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED, inputs)
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    mine = [out / "reports" / "my-notes.ttl", out / "reports" / "extra.nq", out / "draft.new"]
    for f in mine:
        f.write_text("# kept\n", encoding="utf-8")
    first = build([inputs], out, jobs=1)
    (inputs / SEED.name).unlink()
    shutil.copy(SEEDS / "003_c50bb1760576b204.txt", inputs)
    build([inputs], out, jobs=1, prune=True)  # the first report's files go: kgbuild wrote them
    assert all(f.read_text(encoding="utf-8") == "# kept\n" for f in mine)
    assert not (out / first.inputs[0].file).exists()  # type: ignore[operator]


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("build", str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    _one_line_error(result, "no input files")
    assert not (tmp_path / "out").exists()


def test_a_missing_file_is_exit_3_in_every_command(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such.txt")
    for args in (
        ["parse", missing],
        ["build", missing, "--out", str(tmp_path / "out")],
        ["validate", missing],
        ["link", missing],
        ["export-csv", missing],
        ["load", missing, "--store", str(tmp_path / "s")],
    ):
        result = run(*args)
        assert result.exit_code == 3, (args, result.output)
        assert missing in result.output


def test_validate_exits_as_build_does(built: Path) -> None:
    assert json.loads((built / "manifest.json").read_text())["inputs"]  # the build exited 1: reports with errors
    assert run("validate", str(EXAMPLES)).exit_code == 1
    assert run("validate", str(built)).exit_code == 1


def test_a_failed_publish_leaves_the_last_build(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kgbuild.build import publish

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED, inputs)
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    before = {f: (out / f).read_bytes() for f in ("kgbuild.nq", "kgbuild.ttl", "manifest.json", "void.ttl")}
    quads = len(Store.read_only(str(out / "store")))
    shutil.copy(SEEDS / "003_c50bb1760576b204.txt", inputs)

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "description_quads", full_disk)  # fails after the dumps and store are staged
    with pytest.raises(Exception, match="No space left"):
        build([inputs], out, jobs=1)
    assert {f: (out / f).read_bytes() for f in before} == before
    assert len(Store.read_only(str(out / "store"))) == quads
    assert not list(out.glob("*.new")) and not (out / "store.new").exists()
    monkeypatch.undo()
    assert build([inputs], out, jobs=1).reports == 2  # and the next build goes on


# --- The store --------------------------------------------------------------------


def test_query_on_a_path_that_is_no_store_creates_nothing(tmp_path: Path, built: Path) -> None:
    typo = tmp_path / "stroe"
    result = run("query", "reports", "--store", str(typo))
    assert result.exit_code == 3
    _one_line_error(result, "no Oxigraph store here")
    assert not typo.exists()
    # the build folder itself is understood as its store
    assert run("query", "reports", "--store", str(built)).exit_code == 0


def test_serve_on_a_path_that_is_no_store_creates_nothing(tmp_path: Path) -> None:
    result = run("serve", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 3
    _one_line_error(result, "no Oxigraph store here")
    assert not (tmp_path / "nothing").exists()


def test_query_answers_beside_a_writer(built: Path) -> None:
    """`kgbuild serve --writable` (or any writer) holds the store's lock; a query reads it all the same."""
    held = Store(str(built / "store"))
    try:
        result = run("query", "reports", "--store", str(built / "store"), "--format", "json")
    finally:
        del held
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 4


def test_build_refuses_a_store_being_served_read_only(tmp_path: Path) -> None:
    from kgbuild.store import hold_for_serving

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED, inputs)
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    shutil.copy(SEEDS / "003_c50bb1760576b204.txt", inputs)
    fd = hold_for_serving(out / "store")  # what `kgbuild serve` holds until it ends
    try:
        result = run("build", str(inputs), "--out", str(out), "--quiet")
    finally:
        os.close(fd)
    assert result.exit_code == 3
    _one_line_error(result, "kgbuild serve is serving this store")
    assert json.loads((out / "manifest.json").read_text())["reports"] == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.server
def test_serve_is_read_only_unless_writable(built: Path) -> None:
    if shutil.which("oxigraph") is None:
        pytest.skip("the oxigraph server is not installed")
    port = _free_port()
    command = [sys.executable, "-m", "kgbuild", "serve", "--store", str(built), "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        query = f"http://127.0.0.1:{port}/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(query, timeout=2) as answer:
                    assert b"true" in answer.read()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.2)
        update = urllib.request.Request(
            f"http://127.0.0.1:{port}/update", data=b"DROP ALL", method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )  # fmt: skip
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=5)
        assert run("query", "reports", "--store", str(built), "--format", "json").exit_code == 0  # nothing dropped
        # The port is taken now: a second server says so in one line.
        second = run("serve", "--store", str(built), "--port", str(port))
        assert second.exit_code == 3
        _one_line_error(second, f"port {port}", "in use")
    finally:
        server.terminate()
        server.wait(timeout=10)


# --- Queries ----------------------------------------------------------------------


def test_ask_and_construct_answer(built: Path) -> None:
    ask = run("query", "-e", "ASK { ?r a ogi:AnnualReport }", "--store", str(built), "--format", "json")
    assert ask.exit_code == 0 and json.loads(ask.output) == [{"ask": True}]
    construct = run(
        "query", "-e", "CONSTRUCT { ?r a ogi:AnnualReport } WHERE { ?r a ogi:AnnualReport }",
        "--store", str(built), "--format", "csv",
    )  # fmt: skip
    assert construct.exit_code == 0 and construct.output.startswith("subject,predicate,object\n")
    assert construct.output.count("\n") == 5


def test_a_service_that_cannot_be_reached_is_one_line(built: Path) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    result = run("query", "-e", query, "--store", str(built))
    assert result.exit_code == 3
    _one_line_error(result, "could not be answered")


def test_an_unknown_parameter_is_refused(built: Path) -> None:
    result = run("query", "applications", "--param", "agnecy=夏县人民政府", "--store", str(built))
    assert result.exit_code == 2
    _one_line_error(result, "no variable ?agnecy", "agency")


def test_kgbuild_prefixes_need_no_prefix_line(built: Path) -> None:
    result = run("query", "-e", "SELECT (COUNT(?r) AS ?n) WHERE { ?r a ogi:AnnualReport }", "--store", str(built))
    assert result.exit_code == 0 and "4" in result.output


def test_query_help_lists_the_bundled_queries() -> None:
    from kgbuild.resources import query_names

    text = run("query", "--help").output
    assert "Bundled queries:" in text
    assert all(name in text for name in query_names())


def test_query_issues_lists_what_validate_lists(built: Path) -> None:
    validated = json.loads(run("validate", str(built), "--format", "json").output)
    queried = json.loads(run("query", "issues", "--store", str(built), "--format", "json").output)
    assert len(validated) == len(queried) > 0
    assert [(v["file"], v["code"], v["key"]) for v in validated] == [(q["file"], q["code"], q["key"]) for q in queried]
    # and the SHACL balance-rule results are what `query violations` lists
    rules = [v for v in validated if v["code"] == "balance-violation"]
    assert len(rules) == len(json.loads(run("query", "violations", "--store", str(built), "--format", "json").output))


def test_rates_are_numbers_in_json(built: Path) -> None:
    rows = json.loads(run("query", "outcome-rates", "--store", str(built), "--format", "json").output)
    rates = [r["refusalRate"] for r in rows if r["refusalRate"] is not None]
    assert rates and all(isinstance(r, int | float) for r in rates)


# --- Validate ---------------------------------------------------------------------


def test_validate_a_dump_that_is_no_nquads(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 3
    _one_line_error(result, str(bad), "not a valid N-Quads dump")


def test_validate_with_an_unwritable_report(tmp_path: Path) -> None:
    result = run("validate", str(SEED), "--report", str(tmp_path / "no-such-folder" / "v.ttl"))
    assert result.exit_code == 3
    _one_line_error(result, "cannot write the validation report")


def test_validate_of_a_build_reads_its_validation(built: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kgbuild import validate

    def not_again(*_: object) -> None:
        raise AssertionError("the shapes ran again")

    monkeypatch.setattr(validate, "validate_store", not_again)
    assert run("validate", str(built)).exit_code == 1  # the build's results, read: reports with errors


def test_bad_input_still_gives_the_rest(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path)
    shutil.copy(FIXTURES / "bad" / "unbalanced.txt", tmp_path)
    (tmp_path / "letter.txt").write_text("这是一封信。", encoding="utf-8")
    result = run("validate", str(tmp_path), "--format", "json")
    assert result.exit_code == 1
    assert {r["file"] for r in json.loads(result.stdout)} >= {"unbalanced.txt"}
