"""One input, in a worker process: read, parse, map, check, and write its files."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, serialize

from ..errors import KgbuildError, Severity
from ..parse import parse_document
from ..rdf.iris import Iris, report_id
from ..rdf.mapping import to_quads, turtle
from ..rdf.namespaces import QB
from ..read import read
from ..validate import validate_store
from .dataset import ontology_quads
from .folder import BuildFolder
from .results import InputResult

_IN_CUBE = NamedNode(f"{QB}dataSet")
"""What makes a node an observation (kgbuild states no rdf:type qb:Observation: Data Cube implies it)."""


@dataclass(frozen=True)
class Task:
    """One input for a worker: its bytes, and where its files go."""

    index: int
    source: str
    """The path as given, to read it."""
    name: str
    """Its path relative to the folder given (what the graph records as its file name)."""
    data: bytes
    sha256: str
    out: str
    base: str


@dataclass
class Done:
    """A worker's answer: the input's record, and the seconds each stage took."""

    item: InputResult
    seconds: dict[str, float]


def report_files(folder: BuildFolder, name: str) -> tuple[Path, Path, Path, Path]:
    """A report's Turtle, its own graph's N-Quads, its quads of the shared graph, and the parser's JSON."""
    return (
        folder.reports / f"{name}.ttl",
        folder.reports / f"{name}.nq",
        folder.reports / f"{name}.shared.nq",
        folder.reports / f"{name}.json",
    )


def build_input(task: Task) -> Done:
    """Parse, map and check one input, and write its files: what a worker does."""
    clock = Clock()
    try:
        with clock("read"):
            document = read(task.data, name=task.name)
        with clock("parse"):
            report = parse_document(document)
    except KgbuildError as e:
        return Done(InputResult(task.source, "failed", sha256=task.sha256, reason=e.message), clock.seconds)
    iris = Iris(task.base)
    with clock("map"):
        quads = to_quads(report, iris)
        shared_graph = NamedNode(iris.shared_graph)
        own = [q for q in quads if q.graph_name != shared_graph]
        shared = [q for q in quads if q.graph_name == shared_graph]
    with clock("validate"):
        store = Store()
        store.extend(ontology_quads())
        store.extend(quads)
        findings = validate_store(store, "report").findings
    with clock("write"):
        name = report_id(report)
        ttl, nq, shared_nq, parsed = report_files(BuildFolder(task.out), name)
        ttl.write_bytes(turtle(q.triple for q in own))
        nq.write_bytes(nquads(own))
        shared_nq.write_bytes(nquads(shared))
        as_json = report.to_dict()
        parsed.write_text(json.dumps(as_json, ensure_ascii=False), encoding="utf-8")
    errors = sum(1 for i in report.issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in report.issues if i.severity is Severity.WARNING)
    item = InputResult(
        task.source,
        "partial" if errors else "ok",
        sha256=task.sha256,
        errors=errors,
        warnings=warnings,
        graph=iris.graph(report),
        file=f"reports/{name}.ttl",
        observations=sum(1 for q in own if q.predicate == _IN_CUBE),
        triples=len(set(own)),
        findings=[f.to_dict() for f in findings],
        agency=iris.agency(report.agency, report.division, report.office) if report.agency else None,
        year=report.year,
        form=report.version,
        published=report.published,
        cells_sha256=hashlib.sha256(json.dumps(as_json["cells"], sort_keys=True).encode()).hexdigest(),
    )
    return Done(item, clock.seconds)


class Clock:
    """Seconds per stage: ``with clock("parse"): ...``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stage = ""

    def __call__(self, stage: str) -> Clock:
        self._stage = stage
        return self

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *_: object) -> None:
        self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + time.perf_counter() - self._start


def nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""
