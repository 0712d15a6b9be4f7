"""Publish a build: join the reports' files into the dumps, load the store, check across reports.

Everything is written beside what the last build published (``*.new``,
``store.new/``) and put in its place only when all of it is written, so a
failure (a full disk, a store another process holds) leaves the previous
dumps, manifest and store as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, parse

from ..errors import KgbuildError, Severity
from ..rdf.iris import Iris
from ..rdf.mapping import turtle
from ..resources import ontology_files
from ..shacl import Finding, ValidationReport
from ..validate import validate_store
from .dataset import description_quads, ontology_quads
from .folder import DUMPS, BuildFolder
from .results import BuildResult, InputResult
from .versions import previous_report_quads, versions_quads
from .worker import nquads

LOAD_CHUNK = 64 * 2**20
"""Bytes of N-Quads per bulk load. One bulk load of a whole national dump holds
gigabytes in memory while it sorts; chunks of this size keep the build near
half a gigabyte, at about a third more time."""


def report_graphs(inputs: Iterable[InputResult]) -> set[str]:
    """The graphs of the reports the dataset holds."""
    return {i.graph for i in inputs if i.graph and i.is_report}


def dataset_state(inputs: Iterable[InputResult]) -> set[str]:
    """What decides the published data: the reports held, and the copies and versions recorded."""
    inputs = list(inputs)
    recorded = {f"{i.graph} {i.status} {i.canonical}" for i in inputs if i.graph and i.canonical}
    return report_graphs(inputs) | recorded


def store_state(iris: Iris, inputs: Iterable[InputResult]) -> str:
    """What ``.store-graphs`` holds once the store holds the dumps' data: the dataset's state, hashed."""
    return hashlib.sha256("\n".join([iris.base, *sorted(dataset_state(inputs))]).encode()).hexdigest()


def store_graphs(folder: BuildFolder, iris: Iris, inputs: list[InputResult]) -> set[str] | None:
    """The report graphs the store holds, where the store and dumps are complete and vouched for."""
    complete = all((folder.path / f).exists() for f in DUMPS) and folder.store.is_dir() and folder.state.is_file()
    vouched = complete and folder.state.read_text() == store_state(iris, inputs)
    return report_graphs(inputs) if vouched else None


def check_store_free(folder: BuildFolder) -> None:
    """Before a build writes anything: the store must not be held open by another process (kgbuild serve)."""
    if (folder.store / "CURRENT").is_file():  # a store (a folder a killed build left half made is replaced)
        folder.open_store(read_only=False)  # raises StoreBusy; closed again at once


def publish(result: BuildResult, iris: Iris, had: set[str] | None) -> None:
    """Write the dumps and the store of ``result``, and put them in place together.

    :param had: the report graphs the last build's store holds, if it can be updated in place.
    :raises KgbuildError: something could not be written; what was published before stands.
    """
    folder = BuildFolder(result.out)
    folder.remove_staging()
    try:
        _stage(result, iris, folder, had)
        _commit(folder, store_state(iris, result.inputs))
    except OSError as e:  # a full disk; a store another process holds open (kgbuild serve)
        raise KgbuildError(f"cannot write the dumps and the store: {e}", str(result.out)) from None
    finally:
        folder.remove_staging()


def _new(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def _stage(result: BuildResult, iris: Iris, folder: BuildFolder, had: set[str] | None) -> None:
    started = time.perf_counter()
    reports = [i for i in result.inputs if i.graph and i.file and i.is_report]
    shared: dict[bytes, None] = {}
    ontology = list(dict.fromkeys(ontology_quads()))
    with open(_new(folder.nquads), "wb") as nq, open(_new(folder.turtle), "wb") as ttl:
        nq.write(nquads(ontology))
        ttl.write(turtle(dict.fromkeys(q.triple for q in ontology)))
        for i in reports:
            own = folder.path / str(i.file)
            nq.write(own.with_suffix(".nq").read_bytes())
            ttl.write(own.read_bytes())
            shared.update(dict.fromkeys(own.with_suffix(".shared.nq").read_bytes().splitlines(keepends=True)))
        shared_quads = list(parse(b"".join(shared), format=RdfFormat.N_QUADS))
        nq.write(b"".join(shared))
        ttl.write(turtle(q.triple for q in shared_quads))
    result.seconds["dumps"] = time.perf_counter() - started

    started = time.perf_counter()
    store = _stage_store(folder, iris, reports, had, b"".join(shared))
    result.seconds["store"] = time.perf_counter() - started

    started = time.perf_counter()
    collection = validate_store(store, "collection").findings
    findings = [Finding.from_dict(d) for i in reports for d in i.findings] + collection
    result.validation = ValidationReport(sorted(set(findings), key=lambda f: f.key))
    result.violations = len(result.validation.violations)
    result.shacl_warnings = sum(1 for f in result.validation.findings if f.severity is Severity.WARNING)
    _count_findings(result, iris, collection)
    result.seconds["validate collection"] = time.perf_counter() - started

    started = time.perf_counter()
    versions = versions_quads(result.inputs, iris, folder.reports) + previous_report_quads(result.inputs, iris)
    result.triples = (
        len(set(q.triple for q in ontology)) + sum(i.triples for i in reports) + len(shared_quads) + len(versions)
    )
    description = description_quads(iris, result.reports, result.observations, result.triples)
    validation = result.validation.quads(iris.validation, iris.validation_graph)
    rest = versions + validation + description
    store.bulk_extend(rest)
    with open(_new(folder.nquads), "ab") as nq, open(_new(folder.turtle), "ab") as ttl:
        nq.write(nquads(rest))
        ttl.write(turtle(q.triple for q in rest))
    _new(folder.void).write_bytes(turtle(q.triple for q in description))
    _new(folder.validation).write_bytes(result.validation.to_turtle(iris.validation))
    _new(folder.ontology).mkdir()
    for f in ontology_files():
        (_new(folder.ontology) / f.name).write_bytes(f.read_bytes())
    result.seconds["dumps"] += time.perf_counter() - started

    # Compacted, a large store answers queries up to twice as fast (measured on 10,000 reports:
    # benchmarks/README.md) for 4% more build time.
    started = time.perf_counter()
    store.flush()
    store.optimize()
    del store  # closes the database before it is moved into place
    result.seconds["store"] += time.perf_counter() - started


def _stage_store(
    folder: BuildFolder, iris: Iris, reports: list[InputResult], had: set[str] | None, shared: bytes
) -> Store:
    """The new store in store.new/: a copy of the last one updated graph by graph where few reports
    changed (a RocksDB checkpoint: hard links, no copying), else loaded anew from the dump."""
    now = {i.graph: i for i in reports if i.graph}
    staged = _new(folder.store)
    if had is None or len(had.symmetric_difference(now)) > len(now) // 2:
        store = Store(str(staged))
        load_in_chunks(store, _new(folder.nquads))
        return store
    folder.open_store(read_only=False).backup(str(staged))
    store = Store(str(staged))
    for graph in [*(had - set(now)), iris.shared_graph, iris.versions_graph, iris.validation_graph, iris.dataset_graph]:
        store.remove_graph(NamedNode(graph))
    for graph in set(now) - had:
        own = (folder.path / str(now[graph].file)).with_suffix(".nq")
        store.load(path=str(own), format=RdfFormat.N_QUADS)
    store.load(shared, format=RdfFormat.N_QUADS)
    return store


def _commit(folder: BuildFolder, state: str) -> None:
    """Put the staged files in place: the store first, the state that vouches for it last."""
    folder.state.unlink(missing_ok=True)  # until the store in place holds what the dumps hold
    old = folder.path / "store.old"
    if folder.store.exists():
        os.replace(folder.store, old)
    os.replace(_new(folder.store), folder.store)
    if folder.ontology.exists():
        shutil.rmtree(folder.ontology)
    os.replace(_new(folder.ontology), folder.ontology)
    for name in DUMPS:
        os.replace(_new(folder.path / name), folder.path / name)
    folder.state.write_text(state)


def load_in_chunks(store: Store, nquads_file: Path, chunk: int | None = None) -> None:
    """An N-Quads file into the store, one bulk load per ``chunk`` bytes (default LOAD_CHUNK) of whole lines."""
    with open(nquads_file, "rb") as f:
        rest = b""
        while block := f.read(chunk or LOAD_CHUNK):
            block = rest + block
            cut = block.rfind(b"\n") + 1  # whole lines only: a quad is one line
            rest = block[cut:]
            store.bulk_load(block[:cut], format=RdfFormat.N_QUADS)
        if rest.strip():
            store.bulk_load(rest, format=RdfFormat.N_QUADS)


def _count_findings(result: BuildResult, iris: Iris, collection: list[Finding]) -> None:
    """Each input's SHACL violations and warnings, for the manifest."""
    by_report = {i.graph.rsplit("/", 1)[1]: i for i in result.inputs if i.graph}
    for i in result.inputs:
        i.violations = sum(1 for f in i.findings if f["severity"] == Severity.ERROR.value)
        i.shacl_warnings = sum(1 for f in i.findings if f["severity"] == Severity.WARNING.value)
    for f in collection:
        rest = f.focus.removeprefix(f"{iris.base}report/")
        item = by_report.get(rest.split("/", 1)[0])
        if item is None:
            continue
        if f.severity is Severity.ERROR:
            item.violations += 1
        elif f.severity is Severity.WARNING:
            item.shacl_warnings += 1
