"""Build the dataset: parse every input, map it, check it, and write the dumps.

``build`` is the whole pipeline behind ``kgbuild build``. Each input goes
through read → recognise → cell model → RDF → the SHACL shapes that look at
one report, in a worker process (:mod:`kgbuild.pool`), which writes that
report's files. The main process then joins them into what a person or a
triple store takes:

- ``reports/<id>.ttl``: one Turtle file per report (its named graph);
- ``reports/<id>.nq``: the same as N-Quads, with what it adds to the shared graph;
- ``kgbuild.ttl``: the merged Turtle dump (ontology, code lists, reports, description);
- ``kgbuild.nq``: N-Quads, one named graph per report, plus the ontology's and the description's;
- ``void.ttl``: the VoID/DCAT description of the dataset;
- ``validation.ttl``: the SHACL validation report (also a named graph of the N-Quads);
- ``ontology/``: the ontology and code lists the data uses;
- ``store/``: an embedded Oxigraph store holding all of it, for ``kgbuild query``;
- ``manifest.json``: every input seen, with its status, so that nothing is lost.

Memory stays bounded whatever the number of reports: the main process holds
one small record per input and the shared graph (agencies, divisions), never
a report's triples. A second build into the same folder parses only inputs
whose bytes it has not seen (or that an earlier kgbuild version parsed).

The same inputs give the same bytes on every run: nothing depends on the
clock or on which worker finished first, and every list is in a fixed order.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path, PurePath

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from . import __version__, pool
from .errors import KgbuildError, Severity
from .parse import parse_document
from .rdf.iris import Iris, report_id
from .rdf.mapping import by_subject, to_quads, turtle
from .rdf.namespaces import CODE, DCAT, DCTERMS, OGI, PREFIXES, QB, RDF, VOID, XSD
from .read import read
from .resources import ontology_files, shape_files
from .store import STORE_STATE
from .validate import Finding, ValidationReport, validate_store

ONTOLOGY_GRAPHS = {"kgbuild.ttl": "https://w3id.org/kgbuild/def", "codes.ttl": CODE}
"""The named graph each ontology file is loaded into."""

MAX_BYTES = 64 * 1024 * 1024
"""The largest input read by default: annual reports are kilobytes; a PDF with scans a few megabytes."""

TIMEOUT = 120.0
"""Seconds one input may take by default before its worker is stopped."""


@dataclass
class InputResult:
    """What became of one input file."""

    source: str
    status: str
    """``ok``; ``partial`` (parsed, with error issues); ``failed`` (no report); ``duplicate``."""
    sha256: str | None = None
    reason: str | None = None
    """Why it failed, or which input it duplicates."""
    errors: int = 0
    warnings: int = 0
    graph: str | None = None
    file: str | None = None
    """Its Turtle file, relative to the output folder."""
    violations: int = 0
    """SHACL violations (balance rules, structure) of its graph."""
    shacl_warnings: int = 0
    observations: int = 0
    triples: int = 0
    """Triples in its own named graph."""
    findings: list[dict[str, str | None]] = field(default_factory=list)
    """The SHACL results of the shapes that look at this report alone (kept for the next build)."""
    retry: bool = False
    """Failed for a reason that may pass (a worker crash or timeout): the next build tries again."""

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        if not self.retry:
            del d["retry"]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> InputResult:  # type: ignore[type-arg]
        return cls(**d)


@dataclass(frozen=True)
class Progress:
    """How far a build has got, for a progress bar or a log line."""

    done: int
    total: int
    failed: int
    reused: int


@dataclass
class BuildResult:
    """A finished build: its inputs and what was written."""

    out: Path
    base: str
    inputs: list[InputResult] = field(default_factory=list)
    triples: int = 0
    observations: int = 0
    violations: int = 0
    shacl_warnings: int = 0
    reused: int = 0
    """Inputs whose bytes an earlier build had already parsed."""
    validation: ValidationReport | None = None
    """The findings, when this build ran the validation (not when nothing changed)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Time spent in each stage: summed over workers for the per-report stages, wall time for the rest."""

    @property
    def reports(self) -> int:
        return sum(1 for i in self.inputs if i.status in ("ok", "partial"))

    @property
    def failed(self) -> list[InputResult]:
        return [i for i in self.inputs if i.status == "failed"]

    def to_dict(self) -> dict[str, object]:
        return {
            **_made_by(self.base),
            "reports": self.reports,
            "triples": self.triples,
            "observations": self.observations,
            "violations": self.violations,
            "warnings": self.shacl_warnings,
            "inputs": [i.to_dict() for i in self.inputs],
        }


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named, and every file under the folders named, in a fixed order."""
    for path in paths:
        p = Path(path)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f.relative_to(p)))
        else:
            yield p


def _hidden(relative: PurePath) -> bool:
    return any(part.startswith(".") for part in relative.parts)


@cache
def rules_digest() -> str:
    """What else decides a report's graph and findings: the ontology and the shapes."""
    h = hashlib.sha256()
    for f in [*ontology_files(), *shape_files()]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


@cache
def ontology_quads() -> tuple[Quad, ...]:
    """The ontology and code lists, each in its own named graph."""
    quads: list[Quad] = []
    for f in ontology_files():
        graph = NamedNode(ONTOLOGY_GRAPHS.get(f.name, f"https://w3id.org/kgbuild/def/{f.name}"))
        for t in parse(f.read_bytes(), format=RdfFormat.TURTLE):
            quads.append(Quad(t.subject, t.predicate, t.object, graph))
    return tuple(quads)


def description_quads(iris: Iris, reports: int, observations: int, triples: int) -> list[Quad]:
    """The dataset as VoID and DCAT describe it: counts, dumps, vocabularies."""
    d = iris.dataset
    g = NamedNode(iris.dataset_graph)
    out: list[Quad] = []

    def add(s: str, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(NamedNode(s), NamedNode(p), o, g))

    def count(n: int) -> Literal:
        return Literal(str(n), datatype=NamedNode(f"{XSD}integer"))

    add(d, f"{RDF}type", NamedNode(f"{VOID}Dataset"))
    add(d, f"{RDF}type", NamedNode(f"{DCAT}Dataset"))
    add(d, f"{DCTERMS}title", Literal("政府信息公开工作年度报告", language="zh"))
    add(d, f"{DCTERMS}title", Literal("Annual reports on open government information", language="en"))
    add(
        d,
        f"{DCTERMS}description",
        Literal(
            "The statutory tables of Chinese agencies' annual reports on open government information, "
            "cell by cell, as W3C Data Cube observations, with provenance to the source line.",
            language="en",
        ),
    )
    add(d, f"{VOID}uriSpace", Literal(iris.base))
    add(d, f"{VOID}triples", count(triples))
    for vocabulary in (OGI, CODE, QB, PREFIXES["skos"], PREFIXES["org"], PREFIXES["prov"], DCTERMS, DCAT):
        add(d, f"{VOID}vocabulary", NamedNode(vocabulary))
    for name, cls, n in (
        ("reports", f"{OGI}AnnualReport", reports),
        ("observations", f"{QB}Observation", observations),
    ):
        part = f"{d}/{name}"
        add(d, f"{VOID}classPartition", NamedNode(part))
        add(part, f"{VOID}class", NamedNode(cls))
        add(part, f"{VOID}entities", count(n))
    for dump, media in (("kgbuild.ttl", "text/turtle"), ("kgbuild.nq", "application/n-quads")):
        url = f"{iris.base}dump/{dump}"
        dist = f"{d}/{dump}"
        add(d, f"{VOID}dataDump", NamedNode(url))
        add(d, f"{DCAT}distribution", NamedNode(dist))
        add(dist, f"{RDF}type", NamedNode(f"{DCAT}Distribution"))
        add(dist, f"{DCAT}downloadURL", NamedNode(url))
        add(dist, f"{DCAT}mediaType", NamedNode(f"https://www.iana.org/assignments/media-types/{media}"))
    return by_subject(out)


# --- One input, in a worker -------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One input for a worker: its bytes, and where its files go."""

    index: int
    source: str
    data: bytes
    sha256: str
    out: str
    base: str


@dataclass
class Done:
    """A worker's answer: the input's record, and the seconds each stage took."""

    item: InputResult
    seconds: dict[str, float]


def build_input(task: Task) -> Done:
    """Parse, map and check one input, and write its files: what a worker does."""
    clock = _Clock()
    try:
        with clock("read"):
            document = read(task.data, name=task.source)
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
        out = Path(task.out) / "reports"
        (out / f"{name}.ttl").write_bytes(turtle(q.triple for q in own))
        # Its own graph first, then its part of the shared graph: see _split_shared.
        (out / f"{name}.nq").write_bytes(_nquads(own) + _nquads(shared))
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
        observations=sum(1 for q in own if q.predicate.value == f"{RDF}type" and q.object.value == f"{QB}Observation"),
        triples=len(set(own)),
        findings=[f.to_dict() for f in findings],
    )
    return Done(item, clock.seconds)


class _Clock:
    """Seconds per stage: ``with clock("parse"): ...``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stage = ""

    def __call__(self, stage: str) -> _Clock:
        self._stage = stage
        return self

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *_: object) -> None:
        self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + time.perf_counter() - self._start


def _nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""


def _split_shared(nq: bytes, shared_graph: str) -> tuple[bytes, list[bytes]]:
    """A report's N-Quads: its own graph's lines, and its lines of the shared graph (written last)."""
    marker = f"<{shared_graph}> .\n".encode()
    at = nq.find(marker)
    if at < 0:
        return nq, []
    start = nq.rfind(b"\n", 0, at) + 1
    return nq[:start], nq[start:].splitlines(keepends=True)


# --- The whole build --------------------------------------------------------------


@dataclass
class _Previous:
    """What the last build into the same folder left, where this kgbuild can reuse it."""

    by_source: dict[str, InputResult]
    by_sha256: dict[str, InputResult]
    store_graphs: set[str] | None
    """The report graphs its store holds, where the store and the dumps are complete."""
    violations: int = 0
    warnings: int = 0
    triples: int = 0


def _previous(out: Path, iris: Iris) -> _Previous:
    made_by = _made_by(iris.base)
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        inputs = [InputResult.from_dict(d) for d in manifest["inputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        manifest, inputs = {}, []
    if {k: manifest.get(k) for k in made_by} != made_by:
        manifest, inputs = {}, []  # another parser, other rules or other IRIs: parse everything again
    stopped = _Journal.read(out / JOURNAL, made_by)  # what a build stopped midway had done: newer
    by_sha256 = {}
    for i in [*stopped, *inputs]:
        # A report whose files are still there; or a failure that would fail again.
        reusable = (out / i.file).is_file() if i.file else i.status == "failed" and not i.retry
        if i.sha256 and reusable:
            by_sha256.setdefault(i.sha256, i)
    graphs = _graphs(inputs)
    complete = all((out / f).exists() for f in _DUMPS) and (out / STORE_STATE).is_file()
    vouched = complete and (out / STORE_STATE).read_text() == _state(iris, graphs)
    return _Previous(
        {i.source: i for i in [*inputs, *stopped]},
        by_sha256,
        graphs if vouched else None,
        violations=int(manifest.get("violations", 0)),
        warnings=int(manifest.get("warnings", 0)),
        triples=int(manifest.get("triples", 0)),
    )


def _made_by(base: str) -> dict[str, str]:
    """What decides whether an earlier build's results are this build's: kgbuild, its rules, the IRIs."""
    return {"kgbuild": __version__, "rules": rules_digest(), "base": base}


JOURNAL = "journal.jsonl"
"""Each input's result, a JSON line as the build settles it; removed once manifest.json is written."""


class _Journal:
    """What a build has done so far, on disk at once: a build stopped midway (Ctrl-C, the
    out-of-memory killer, a reboot) leaves it, and the next build into the same folder
    goes on from there. manifest.json alone is written only at the end.
    """

    def __init__(self, path: Path, made_by: dict[str, str], *, fresh: bool) -> None:
        keep = not fresh and self._header(path) == made_by
        if keep:
            with open(path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                cut = f.read(1) != b"\n"  # a killed build was writing its last line
        self._file = open(path, "a" if keep else "w", encoding="utf-8")  # noqa: SIM115 (closed on exit)
        if not keep:
            self._write(made_by)
        elif cut:
            self._file.write("\n")  # so that the next line stands alone

    def add(self, item: InputResult) -> None:
        self._write(item.to_dict())

    def _write(self, d: dict[str, object]) -> None:
        self._file.write(json.dumps(d, ensure_ascii=False) + "\n")
        self._file.flush()  # a killed process loses at most the line it was writing

    def __enter__(self) -> _Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()

    @staticmethod
    def _header(path: Path) -> dict | None:  # type: ignore[type-arg]
        try:
            with open(path, encoding="utf-8") as f:
                return json.loads(f.readline())
        except (OSError, ValueError):
            return None

    @classmethod
    def read(cls, path: Path, made_by: dict[str, str]) -> list[InputResult]:
        """The results a stopped build wrote with the same kgbuild, rules and IRIs."""
        if cls._header(path) != made_by:
            return []
        items = []
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                try:
                    items.append(InputResult.from_dict(json.loads(line)))
                except (ValueError, TypeError):
                    continue  # the last line, cut off as the build was killed
        return items


def _graphs(inputs: Iterable[InputResult]) -> set[str]:
    return {i.graph for i in inputs if i.graph and i.status in ("ok", "partial")}


def _state(iris: Iris, graphs: set[str]) -> str:
    return hashlib.sha256("\n".join([iris.base, *sorted(graphs)]).encode()).hexdigest()


_DUMPS = ("kgbuild.nq", "kgbuild.ttl", "void.ttl", "validation.ttl", "store")


def build(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    base: str | None = None,
    jobs: int | None = None,
    timeout: float | None = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    prune: bool = False,
    rebuild: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> BuildResult:
    """Parse, map and check every input, and write the dumps into ``out``.

    A bad input never stops the build: it is listed as failed in the result
    and in ``manifest.json``. Inputs whose bytes the last build into ``out``
    parsed are not parsed again; inputs it had that are not given now stay
    in the dataset unless ``prune``.

    :param jobs: worker processes (``None``: one per core).
    :param timeout: seconds one input may take before it is stopped and marked failed.
    :param max_bytes: inputs larger than this are marked failed unread.
    :param rebuild: parse every input again, whatever the last build left.
    :param progress: called after each input.
    :raises KgbuildError: the output folder cannot be written.
    """
    iris = Iris(base) if base else Iris()
    out = Path(out)
    previous = _Previous({}, {}, None) if rebuild else _previous(out, iris)  # before the journal starts anew
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
        (out / "ontology").mkdir(exist_ok=True)
        journal = _Journal(out / JOURNAL, _made_by(iris.base), fresh=rebuild)
    except OSError as e:
        raise KgbuildError(f"cannot write the output folder: {e.strerror or e}", str(out)) from None
    result = BuildResult(out=out, base=iris.base)
    sources = [str(p) for p in iter_inputs(paths)]
    items: list[InputResult | None] = [None] * len(sources)
    counts = {"done": 0, "failed": 0}

    def finish(index: int, item: InputResult) -> None:
        items[index] = item
        journal.add(item)
        counts["done"] += 1
        counts["failed"] += item.status == "failed"
        if progress:
            progress(Progress(counts["done"], len(sources), counts["failed"], result.reused))

    def tasks() -> Iterator[Task]:
        """The inputs that need a worker; the main process settles the rest as it meets them."""
        seen: dict[str, str] = {}
        for index, source in enumerate(sources):
            data, failure = _read_input(Path(source), max_bytes)
            if failure:
                finish(index, InputResult(source, "failed", reason=failure))
                continue
            assert data is not None
            sha256 = hashlib.sha256(data).hexdigest()
            if sha256 in seen:
                finish(index, InputResult(source, "duplicate", sha256=sha256, reason=f"same bytes as {seen[sha256]}"))
                continue
            seen[sha256] = source
            cached = previous.by_sha256.get(sha256)
            if cached is not None:
                result.reused += 1
                finish(index, replace(cached, source=source))
                continue
            yield Task(index, source, data, sha256, str(out), iris.base)

    started = time.perf_counter()
    # closing(): on Ctrl-C in this loop the pool's workers stop now, not when the generator is collected.
    with journal, closing(pool.run(build_input, tasks(), jobs=jobs, timeout=timeout)) as results:
        for task, done in results:
            if isinstance(done, pool.Failure):
                failed = InputResult(task.source, "failed", sha256=task.sha256, reason=done.reason, retry=True)
                finish(task.index, failed)
                continue
            for stage, seconds in done.seconds.items():
                result.seconds[stage] = result.seconds.get(stage, 0.0) + seconds
            finish(task.index, done.item)
    result.seconds["inputs"] = time.perf_counter() - started
    result.inputs = [i for i in items if i is not None]
    if not prune:  # what the last build had and this one was not given stays, unless it moved
        given = set(sources)
        now = {i.sha256 for i in result.inputs}
        result.inputs += [i for s, i in sorted(previous.by_source.items()) if s not in given and i.sha256 not in now]

    result.observations = sum(i.observations for i in result.inputs if i.graph)
    if previous.store_graphs == _graphs(result.inputs):
        # Nothing changed: the dumps, the store and the validation stand as they are.
        result.violations, result.shacl_warnings = previous.violations, previous.warnings
        result.triples = previous.triples  # and each input's counts are the last build's
    else:
        try:
            _publish(result, iris, previous.store_graphs)
        except OSError as e:  # a full disk; a store another process holds open (kgbuild serve)
            raise KgbuildError(f"cannot write the dumps and the store: {e}", str(out)) from None
    _remove_stale(out, result.inputs)
    (out / "manifest.json").write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / JOURNAL).unlink(missing_ok=True)  # the manifest holds all it held
    return result


def _read_input(path: Path, max_bytes: int) -> tuple[bytes | None, str | None]:
    """An input's bytes, or why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, f"{size:,} bytes: larger than the limit of {max_bytes:,} (--max-size)"
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, "no such file"
    except OSError as e:
        return None, f"cannot read: {e.strerror or e}"


def _publish(result: BuildResult, iris: Iris, store_graphs: set[str] | None) -> None:
    """Join the reports' files into the dumps, load the store, and run the shapes that span reports."""
    out = result.out
    started = time.perf_counter()
    reports = [i for i in result.inputs if i.graph and i.file and i.status in ("ok", "partial")]
    shared: dict[bytes, None] = {}
    ontology = list(dict.fromkeys(ontology_quads()))
    with open(out / "kgbuild.nq", "wb") as nq, open(out / "kgbuild.ttl", "wb") as ttl:
        nq.write(_nquads(ontology))
        ttl.write(turtle(dict.fromkeys(q.triple for q in ontology)))
        for i in reports:
            own, lines = _split_shared((out / i.file).with_suffix(".nq").read_bytes(), iris.shared_graph)
            nq.write(own)
            ttl.write((out / i.file).read_bytes())
            shared.update(dict.fromkeys(lines))
        shared_quads = list(parse(b"".join(shared), format=RdfFormat.N_QUADS))
        nq.write(b"".join(shared))
        ttl.write(turtle(q.triple for q in shared_quads))
    result.seconds["dumps"] = time.perf_counter() - started

    started = time.perf_counter()
    store = _load_store(out, iris, reports, store_graphs, b"".join(shared))
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
    result.triples = len(set(q.triple for q in ontology)) + sum(i.triples for i in reports) + len(shared_quads)
    description = description_quads(iris, result.reports, result.observations, result.triples)
    validation = result.validation.quads(iris.validation, iris.validation_graph)
    store.bulk_extend(validation + description)
    store.flush()
    with open(out / "kgbuild.nq", "ab") as nq, open(out / "kgbuild.ttl", "ab") as ttl:
        nq.write(_nquads(validation + description))
        ttl.write(turtle(q.triple for q in validation + description))
    (out / "void.ttl").write_bytes(turtle(q.triple for q in description))
    (out / "validation.ttl").write_bytes(result.validation.to_turtle(iris.validation))
    for f in ontology_files():
        (out / "ontology" / f.name).write_bytes(f.read_bytes())
    del store  # closes the database before the state that vouches for it is written
    (out / STORE_STATE).write_text(_state(iris, {i.graph for i in reports if i.graph}))
    result.seconds["dumps"] += time.perf_counter() - started


def _load_store(out: Path, iris: Iris, reports: list[InputResult], had: set[str] | None, shared: bytes) -> Store:
    """The store, holding the dumps' data: updated graph by graph where few reports changed, else loaded anew."""
    # Until it holds what the dumps hold: a build stopped midway leaves none, so the next loads it anew.
    (out / STORE_STATE).unlink(missing_ok=True)
    now = {i.graph: i for i in reports if i.graph}
    if had is None or len(had.symmetric_difference(now)) > len(now) // 2:
        shutil.rmtree(out / "store", ignore_errors=True)
        store = Store(str(out / "store"))
        load_in_chunks(store, out / "kgbuild.nq")
        return store
    store = Store(str(out / "store"))
    for graph in [*(had - set(now)), iris.shared_graph, iris.validation_graph, iris.dataset_graph]:
        store.remove_graph(NamedNode(graph))
    for graph in set(now) - had:
        own, _ = _split_shared((out / now[graph].file).with_suffix(".nq").read_bytes(), iris.shared_graph)  # type: ignore[arg-type]
        store.load(own, format=RdfFormat.N_QUADS)
    store.load(shared, format=RdfFormat.N_QUADS)
    return store


LOAD_CHUNK = 64 * 2**20
"""Bytes of N-Quads per bulk load. One bulk load of a whole national dump holds
gigabytes in memory while it sorts; chunks of this size keep the build near
half a gigabyte, at about a third more time."""


def load_in_chunks(store: Store, nquads: Path, chunk: int | None = None) -> None:
    """An N-Quads file into the store, one bulk load per ``chunk`` bytes (default LOAD_CHUNK) of whole lines."""
    with open(nquads, "rb") as f:
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


def _remove_stale(out: Path, inputs: list[InputResult]) -> None:
    """Delete report files that no input of the dataset names any more."""
    keep = {Path(i.file).stem for i in inputs if i.file}
    for f in (out / "reports").iterdir():
        if f.suffix in (".ttl", ".nq") and f.stem not in keep:
            f.unlink()


__all__ = ["BuildResult", "InputResult", "Progress", "build", "build_input", "iter_inputs"]
