"""The build at scale: worker processes, incremental rebuilds, and nothing lost.

Every test runs real worker processes on real files; none mocks the pool.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from common import FIXTURES, SEEDS
from pyoxigraph import Store

from kgbuild import pool
from kgbuild.build import build
from kgbuild.cli import cli
from kgbuild.validate import validate_graph

EXAMPLES = Path(__file__).parent.parent / "examples"
YEARS = FIXTURES / "years" / "xia-2021.txt"


def _corpus(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def _manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _graphs(out: Path) -> set[str]:
    store = Store(str(out / "store"))
    try:
        graphs = {g.value for g in store.named_graphs()}
        return {g for g in graphs if "/graph/" in g and g.rsplit("/", 1)[1] not in ("shared", "validation", "dataset")}
    finally:
        del store


# --- The pool -------------------------------------------------------------------


def _task(x: int) -> int:
    if x == 3:
        os._exit(7)  # what a segfault in a native library looks like from outside
    if x == 5:
        time.sleep(60)
    if x == 6:
        raise ValueError("a bug")
    return x * 2


def test_pool_survives_crash_hang_and_bug() -> None:
    results = dict(pool.run(_task, range(10), jobs=2, timeout=2))
    assert {k: v for k, v in results.items() if not isinstance(v, pool.Failure)} == {
        k: 2 * k for k in (0, 1, 2, 4, 7, 8, 9)
    }
    assert "died (exit code 7)" in results[3].reason  # type: ignore[union-attr]
    assert "longer than 2 s" in results[5].reason  # type: ignore[union-attr]
    assert "ValueError: a bug" in results[6].reason  # type: ignore[union-attr]


def test_pool_streams_with_bounded_tasks_in_flight() -> None:
    pulled = []

    def tasks():  # type: ignore[no-untyped-def]
        for i in range(20):
            pulled.append(i)
            yield i

    seen = 0
    for _ in pool.run(abs, tasks(), jobs=2):
        seen += 1
        assert len(pulled) <= seen + 2  # never more than one task per worker ahead
    assert seen == 20


# --- Incremental builds -----------------------------------------------------------


def test_rebuild_reuses_unchanged_inputs(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, *sorted(EXAMPLES.glob("*")))
    out = tmp_path / "out"
    first = build([inputs], out, jobs=2)
    dumps = {f: (out / f).read_bytes() for f in ("kgbuild.nq", "kgbuild.ttl", "manifest.json", "validation.ttl")}
    second = build([inputs], out, jobs=2)
    assert (first.reused, second.reused) == (0, len(first.inputs))
    assert second.seconds.get("parse", 0) == 0  # nothing was parsed again
    assert {f: (out / f).read_bytes() for f in dumps} == dumps
    assert (second.triples, second.violations) == (first.triples, first.violations)


def test_changed_input_replaces_its_graph(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    before = {i["source"]: i["graph"] for i in _manifest(out)["inputs"]}
    changed = inputs / "003_c50bb1760576b204.txt"
    changed.write_bytes(changed.read_bytes() + "\n附：本报告数据截至12月31日。\n".encode())
    result = build([inputs], out, jobs=1)
    after = {i["source"]: i["graph"] for i in _manifest(out)["inputs"]}
    assert result.reused == 1
    assert after[str(changed)] != before[str(changed)]
    assert _graphs(out) == set(after.values())
    old_id = before[str(changed)].rsplit("/", 1)[1]
    assert not list((out / "reports").glob(f"{old_id}.*"))


def test_store_updated_graph_by_graph_equals_a_fresh_one(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, *sorted(SEEDS.glob("*.txt")))
    out = tmp_path / "out"
    build([inputs], out, jobs=2)
    changed = inputs / "003_c50bb1760576b204.txt"
    changed.write_bytes(changed.read_bytes() + "\n附：本报告数据截至12月31日。\n".encode())
    build([inputs], out, jobs=2)  # one report of five replaced in the store, not a new store
    fresh = tmp_path / "fresh"
    build([inputs], fresh, jobs=2)
    for f in ("kgbuild.nq", "manifest.json", "validation.ttl", "void.ttl"):
        assert (out / f).read_bytes() == (fresh / f).read_bytes(), f
    assert set(Store(str(out / "store"))) == set(Store(str(fresh / "store")))


def test_removed_input_stays_unless_pruned(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    graphs = _graphs(out)
    (inputs / "000_a625d82b2993cd46.txt").unlink()
    kept = build([inputs], out, jobs=1)
    assert len(kept.inputs) == 2 and _graphs(out) == graphs
    pruned = build([inputs], out, jobs=1, prune=True)
    assert [i.source for i in pruned.inputs] == [str(inputs / "003_c50bb1760576b204.txt")]
    assert len(_graphs(out)) == 1
    assert len(list((out / "reports").glob("*.ttl"))) == 1


def test_moved_input_is_one_report(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    (inputs / "000_a625d82b2993cd46.txt").rename(inputs / "xia-2020.txt")
    result = build([inputs], out, jobs=1)
    assert sorted(Path(i.source).name for i in result.inputs) == ["003_c50bb1760576b204.txt", "xia-2020.txt"]
    assert result.reused == 2 and len(_graphs(out)) == 2


# --- Stopped midway, and resumed ---------------------------------------------------


def _stop_after(n: int):  # type: ignore[no-untyped-def]
    """A progress callback that presses Ctrl-C once ``n`` inputs are settled."""

    def progress(p) -> None:  # type: ignore[no-untyped-def]
        if p.done == n:
            raise KeyboardInterrupt

    return progress


def test_stopped_build_goes_on_where_it_stopped(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, *sorted(SEEDS.glob("*.txt")), YEARS)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build([inputs], out, jobs=2, progress=_stop_after(3))
    assert not (out / "manifest.json").exists()
    journal = (out / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(journal) == 1 + 3  # a header, and the three inputs settled before the stop
    resumed = build([inputs], out, jobs=2)
    assert resumed.reused == 3
    assert not (out / "journal.jsonl").exists()  # the manifest holds it all now
    fresh = tmp_path / "fresh"
    build([inputs], fresh, jobs=2)
    for f in ("kgbuild.nq", "manifest.json", "validation.ttl", "void.ttl"):
        assert (out / f).read_bytes() == (fresh / f).read_bytes(), f


def test_journal_cut_off_midline_or_from_another_kgbuild(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, *sorted(SEEDS.glob("*.txt")))
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build([inputs], out, jobs=1, progress=_stop_after(3))
    journal = out / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    journal.write_text("".join(lines[:-1]) + lines[-1][:40], encoding="utf-8")  # killed as it wrote
    assert build([inputs], out, jobs=1).reused == 2  # the two whole lines
    # Cut in the first result: the line the next build writes after it still stands alone.
    journal.write_text(lines[0] + lines[1][:40], encoding="utf-8")
    (out / "manifest.json").unlink()
    with pytest.raises(KeyboardInterrupt):
        build([inputs], out, jobs=1, progress=_stop_after(1))
    assert build([inputs], out, jobs=1).reused == 1
    header = json.loads(lines[0])
    journal.write_text(json.dumps({**header, "kgbuild": "0.0.1"}) + "\n" + "".join(lines[1:]), encoding="utf-8")
    (out / "manifest.json").unlink()
    assert build([inputs], out, jobs=1).reused == 0  # another kgbuild's results are not this one's


def _build_in_background(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:  # type: ignore[type-arg]
    """``kgbuild build`` of 200 distinct inputs in its own process group, once it has settled a few."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = (SEEDS / "000_a625d82b2993cd46.txt").read_bytes()
    for i in range(200):  # distinct bytes, so none is a duplicate
        (inputs / f"{i:03}.txt").write_bytes(seed + f"\n第{i}份\n".encode())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kgbuild", "build", str(inputs), "--out", str(out), "--jobs", "2", "--quiet"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    journal = out / "journal.jsonl"
    deadline = time.monotonic() + 60
    while not (journal.exists() and len(journal.read_text(encoding="utf-8").splitlines()) > 5):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    return process, inputs, out


def test_ctrl_c_stops_workers_and_says_how_to_go_on(tmp_path: Path) -> None:
    """A real SIGINT to the whole process group, twice, as an impatient person or ``timeout`` sends it."""
    process, inputs, out = _build_in_background(tmp_path)
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)  # no worker left for the exit to wait on
    assert process.returncode == 130
    journal = out / "journal.jsonl"
    assert f"what was done is kept in {journal}" in stderr and "Traceback" not in stderr
    done = len(journal.read_text(encoding="utf-8").splitlines()) - 1
    result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(out), "--quiet"])
    assert f"{done} unchanged since the last build" in result.output


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers in /proc")
def test_workers_end_when_the_main_process_is_killed(tmp_path: Path) -> None:
    """The out-of-memory killer's SIGKILL: the main process cannot stop its workers; they see it gone."""
    process, _, _ = _build_in_background(tmp_path)

    def stat(pid: int | str) -> list[str]:
        try:  # state, parent, … after the name in parentheses
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # no such process (any more)
            return ["gone", "0"]

    pids = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")]
    children = {pid for pid in pids if stat(pid)[1] == str(process.pid)}
    assert len(children) == 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 15
    while any(stat(pid)[0] not in ("gone", "Z") for pid in children):
        assert time.monotonic() < deadline, "a worker outlived the main process"
        time.sleep(0.1)


# --- Nothing lost -----------------------------------------------------------------


def test_manifest_lists_every_input(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", *sorted((FIXTURES / "bad").glob("*")))
    shutil.copy(SEEDS / "000_a625d82b2993cd46.txt", inputs / "copy.txt")
    out = tmp_path / "out"
    result = build([inputs], out, jobs=2)
    manifest = _manifest(out)
    by_name = {Path(i["source"]).name: i for i in manifest["inputs"]}
    assert set(by_name) == {p.name for p in inputs.iterdir()}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert by_name["copy.txt"]["status"] == "duplicate"
    assert by_name["copy.txt"]["reason"] == f"same bytes as {inputs / '000_a625d82b2993cd46.txt'}"
    assert {by_name[n]["status"] for n in ("article.txt", "binary.png", "empty.txt")} == {"failed"}
    assert by_name["unbalanced.txt"]["status"] == "partial" and by_name["unbalanced.txt"]["violations"] > 0
    assert manifest["reports"] == result.reports == 2  # the duplicate is not counted twice


def _hang(*_: object) -> None:
    time.sleep(60)


def test_slow_input_fails_alone_and_is_retried(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kgbuild.build import worker

    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    out = tmp_path / "out"
    slow = inputs / "003_c50bb1760576b204.txt"
    real = worker.parse_document
    # The workers are forked from this process: one input's parse hangs there.
    monkeypatch.setattr(worker, "parse_document", lambda d: _hang() if d.source == slow.name else real(d))
    first = build([inputs], out, jobs=1, timeout=1)
    status = {Path(i.source).name: (i.status, i.reason or "") for i in first.inputs}
    assert status[slow.name][0] == "failed" and "longer than 1 s" in status[slow.name][1]
    assert status["000_a625d82b2993cd46.txt"][0] == "ok"
    monkeypatch.undo()
    second = build([inputs], out, jobs=1)
    assert all(i.status in ("ok", "partial") for i in second.inputs) and second.reused == 1


def test_oversized_input_is_not_read(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt")
    result = build([inputs], tmp_path / "out", max_bytes=100)
    assert result.inputs[0].status == "failed"
    assert "larger than the limit of 100" in (result.inputs[0].reason or "")


def test_store_engine_in_workers_equals_pyshacl(tmp_path: Path) -> None:
    """The shapes of one report in its worker, the shapes across years over the store: pyshacl's results."""
    inputs = _corpus(tmp_path, *sorted(SEEDS.glob("*.txt")), YEARS, FIXTURES / "bad" / "unbalanced.txt")
    out = tmp_path / "out"
    result = build([inputs], out, jobs=2)
    data = rdflib.Dataset()
    data.parse(out / "kgbuild.nq", format="nquads")
    union = rdflib.Graph()
    for s, p, o, g in data.quads():
        if not str(g).endswith(("/validation", "/dataset")):
            union.add((s, p, o))
    reference = validate_graph(union).findings
    assert result.validation is not None
    assert sorted(f.key for f in result.validation.findings) == sorted(f.key for f in reference)
    assert any(f.rule == 6 for f in reference) or any(f.rule == 7 for f in reference)


# --- The command ------------------------------------------------------------------


def test_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt")
    done = runner.invoke(cli, ["build", str(ok), "--out", str(tmp_path / "a"), "--quiet"])
    assert done.exit_code == 0, done.output
    bad = runner.invoke(cli, ["build", str(FIXTURES / "bad"), "--out", str(tmp_path / "b"), "--quiet"])
    assert bad.exit_code == 1
    assert "binary.png" in bad.output
    (tmp_path / "file").write_text("not a folder")
    cannot = runner.invoke(cli, ["build", str(ok), "--out", str(tmp_path / "file" / "out")])
    assert cannot.exit_code == 3
    assert "cannot write the output folder" in cannot.output


def test_log_lines_when_not_a_terminal(tmp_path: Path) -> None:
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(tmp_path / "out"), "--log-every", "0"])
    assert "kgbuild: 2/2 inputs, 0 failed, 0 reused" in result.output


def test_validate_and_export_a_build_from_its_store(tmp_path: Path) -> None:
    """A large build is not read back into memory: its store answers, the dump is not needed."""
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", FIXTURES / "bad" / "unbalanced.txt")
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    (out / "kgbuild.nq").unlink()
    runner = CliRunner()
    validated = runner.invoke(cli, ["validate", str(out)])
    assert validated.exit_code == 1 and "rule 1" in validated.output
    exported = runner.invoke(cli, ["export-csv", str(out)])
    assert exported.exit_code == 0 and "T3.new.natural" in exported.output


def test_store_loaded_in_chunks_holds_the_whole_dump(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kgbuild.build import publish as build_module

    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt", SEEDS / "003_c50bb1760576b204.txt")
    build([inputs], tmp_path / "whole", jobs=1)
    monkeypatch.setattr(build_module, "LOAD_CHUNK", 4096)  # hundreds of chunks, each cut at a line's end
    build([inputs], tmp_path / "chunked", jobs=1)
    assert set(Store(str(tmp_path / "chunked" / "store"))) == set(Store(str(tmp_path / "whole" / "store")))


def test_progress_bar_on_a_terminal() -> None:
    import io

    from kgbuild.build import Progress
    from kgbuild.cli import BarProgress

    screen = io.StringIO()
    bar = BarProgress(file=screen)
    bar(Progress(done=1, total=3, failed=0, reused=0))
    bar(Progress(done=3, total=3, failed=1, reused=1))
    bar.close()
    assert "3/3" in screen.getvalue() and "failed=1" in screen.getvalue() and "inputs/s" in screen.getvalue()


def _published(out: Path) -> dict[str, bytes]:
    return {f: (out / f).read_bytes() for f in ("kgbuild.nq", "kgbuild.ttl", "manifest.json", "validation.ttl")}


def test_store_held_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    """The trap: a build while `serve --writable` held the store rewrote the dumps, then failed on the store."""
    inputs = _corpus(tmp_path, SEEDS / "000_a625d82b2993cd46.txt")
    out = tmp_path / "out"
    build([inputs], out, jobs=1)
    before = _published(out)
    shutil.copy(SEEDS / "003_c50bb1760576b204.txt", inputs)  # a build that has something to publish
    held = Store(str(out / "store"))  # as `kgbuild serve --writable` holds it
    result = CliRunner().invoke(cli, ["build", str(inputs), "--out", str(out), "--quiet"])
    del held
    assert result.exit_code == 3
    assert "the store is open in another process" in result.output and str(out) in result.output
    assert _published(out) == before  # the dumps, the manifest and the store's data are the last build's
    assert build([inputs], out, jobs=1).inputs[0].status == "ok"  # the next build, once it is free, goes on
