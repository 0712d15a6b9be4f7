"""Build the dataset: parse every input, map it, and write the dumps.

``build`` is the whole pipeline behind ``kgbuild build``: read → recognise →
cell model → RDF, then files a person or a triple store can take:

- ``reports/<id>.ttl``: one Turtle file per report (its named graph);
- ``kgbuild.ttl``: the merged Turtle dump (ontology, code lists, reports, description);
- ``kgbuild.nq``: N-Quads, one named graph per report, plus the ontology's and the description's;
- ``void.ttl``: the VoID/DCAT description of the dataset;
- ``validation.ttl``: the SHACL validation report (also a named graph of the N-Quads);
- ``ontology/``: the ontology and code lists the data uses;
- ``store/``: an embedded Oxigraph store holding all of it, for ``kgbuild query``;
- ``manifest.json``: every input seen, with its status, so that nothing is lost.

The same inputs give the same bytes on every run: nothing depends on the
clock, and every list is in a fixed order.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize

from . import __version__
from .errors import KgbuildError, Severity
from .parse import parse_document
from .rdf.iris import Iris, report_id
from .rdf.mapping import by_subject, to_quads, turtle
from .rdf.namespaces import CODE, DCAT, DCTERMS, OGI, PREFIXES, QB, RDF, VOID, XSD
from .read import read
from .resources import ontology_files
from .store import OxigraphStore
from .validate import ValidationReport, validate_store

ONTOLOGY_GRAPHS = {"kgbuild.ttl": "https://w3id.org/kgbuild/def", "codes.ttl": CODE}
"""The named graph each ontology file is loaded into."""


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


@dataclass
class BuildResult:
    """A finished build: its inputs and what was written."""

    out: Path
    inputs: list[InputResult] = field(default_factory=list)
    triples: int = 0
    observations: int = 0
    validation: ValidationReport | None = None

    @property
    def reports(self) -> int:
        return sum(1 for i in self.inputs if i.status in ("ok", "partial"))

    @property
    def failed(self) -> list[InputResult]:
        return [i for i in self.inputs if i.status == "failed"]

    def to_dict(self) -> dict[str, object]:
        return {
            "kgbuild": __version__,
            "reports": self.reports,
            "triples": self.triples,
            "observations": self.observations,
            "violations": len(self.validation.violations) if self.validation else 0,
            "inputs": [asdict(i) for i in self.inputs],
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


def ontology_quads() -> list[Quad]:
    """The ontology and code lists, each in its own named graph."""
    quads: list[Quad] = []
    for f in ontology_files():
        graph = NamedNode(ONTOLOGY_GRAPHS.get(f.name, f"https://w3id.org/kgbuild/def/{f.name}"))
        for t in parse(f.read_bytes(), format=RdfFormat.TURTLE):
            quads.append(Quad(t.subject, t.predicate, t.object, graph))
    return quads


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


def build(paths: Iterable[str | Path], out: str | Path, *, base: str | None = None) -> BuildResult:
    """Parse and map every input, and write the dumps into ``out``.

    A bad input never stops the build: it is listed as failed in the result
    and in ``manifest.json``.

    :raises KgbuildError: the output folder cannot be written.
    """
    iris = Iris(base) if base else Iris()
    out = Path(out)
    try:
        (out / "reports").mkdir(parents=True, exist_ok=True)
        (out / "ontology").mkdir(exist_ok=True)
    except OSError as e:
        raise KgbuildError(f"cannot write the output folder: {e.strerror or e}", str(out)) from None
    result = BuildResult(out=out)
    seen: dict[str, str] = {}
    report_quads: list[Quad] = []
    for path in iter_inputs(paths):
        item = _build_one(path, iris, seen, out, report_quads)
        result.inputs.append(item)
    result.observations = sum(
        1 for q in report_quads if q.predicate.value == f"{RDF}type" and q.object.value == f"{QB}Observation"
    )

    data_quads = list(dict.fromkeys(ontology_quads() + report_quads))  # shared graph quads come once
    triples = list(dict.fromkeys(q.triple for q in data_quads))
    result.triples = len(triples)  # of the data: ontology, code lists and reports
    description = description_quads(iris, result.reports, result.observations, result.triples)

    store = Store()
    store.extend(data_quads)
    result.validation = validate_store(store)
    validation = result.validation.quads(iris.validation, iris.validation_graph)
    _count_findings(result, iris)

    (out / "kgbuild.nq").write_bytes(serialize(data_quads + validation + description, format=RdfFormat.N_QUADS) or b"")
    (out / "kgbuild.ttl").write_bytes(turtle(triples + [q.triple for q in validation + description]))
    (out / "void.ttl").write_bytes(turtle(q.triple for q in description))
    (out / "validation.ttl").write_bytes(result.validation.to_turtle(iris.validation))
    OxigraphStore(out / "store").reload(data_quads + validation + description)
    for f in ontology_files():
        (out / "ontology" / f.name).write_bytes(f.read_bytes())
    (out / "manifest.json").write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return result


def _count_findings(result: BuildResult, iris: Iris) -> None:
    """Each input's SHACL violations and warnings, for the manifest."""
    by_graph = {i.graph: i for i in result.inputs if i.graph}
    for f in result.validation.findings if result.validation else []:
        report_id = re.sub(r"^.*/report/([0-9a-f]+).*$", r"\1", f.focus)
        item = by_graph.get(f"{iris.base}graph/{report_id}")
        if item is None:
            continue
        if f.severity is Severity.ERROR:
            item.violations += 1
        elif f.severity is Severity.WARNING:
            item.shacl_warnings += 1


def _build_one(path: Path, iris: Iris, seen: dict[str, str], out: Path, quads: list[Quad]) -> InputResult:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        return InputResult(source, "failed", reason=f"cannot read: {e.strerror or e}")
    digest = hashlib.sha256(data).hexdigest()
    if digest in seen:
        return InputResult(source, "duplicate", sha256=digest, reason=f"same bytes as {seen[digest]}")
    seen[digest] = source
    try:
        report = parse_document(read(data, name=source))
    except KgbuildError as e:
        return InputResult(source, "failed", sha256=digest, reason=e.message)
    report_quads = to_quads(report, iris)
    quads += report_quads
    file = f"reports/{report_id(report)}.ttl"
    (out / file).write_bytes(turtle(q.triple for q in report_quads))
    errors = sum(1 for i in report.issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in report.issues if i.severity is Severity.WARNING)
    return InputResult(
        source,
        "partial" if errors else "ok",
        sha256=digest,
        errors=errors,
        warnings=warnings,
        graph=iris.graph(report),
        file=file,
    )


__all__ = ["BuildResult", "InputResult", "build", "iter_inputs"]
