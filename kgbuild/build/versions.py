"""Each report once: inputs that carry the same report, and which of them the dataset holds.

A real download holds one report several times: the HTML page and its PDF or
DOCX attachment, in other encodings, sometimes re-published with
corrections. Two inputs carry the same report when they name the same agency
(its IRI: division and office), year and statutory form. Of such inputs:

- those whose cells are all equal are **copies**: the dataset holds one of
  them, with every copy's file recorded as its source;
- those whose cells differ are **versions**: the dataset holds one, the
  **canonical** version, and records the others with the cells that differ.

The canonical version is the one published last (by the date the report
prints; a report without one counts as the earliest), then the one with fewer
parse errors, then the one with more determined cells, then the first input
in path order. Of its copies the first in path order is held. A report whose
agency, year or form is unknown is never taken for another's.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from ..rdf.iris import Iris
from ..rdf.namespaces import OGI, PROV, RDF, XSD
from .results import InputResult


def settle_versions(inputs: list[InputResult], reports: Path) -> None:
    """Mark each input that carries another input's report as a copy or a superseded version, in place.

    :param reports: the build's ``reports/`` folder, where each report's parsed JSON is.
    """
    groups: dict[tuple[str, int, str], list[InputResult]] = defaultdict(list)
    for i in inputs:
        if i.status in ("copy", "superseded"):  # an earlier build's verdict: decided again here
            i.status, i.canonical, i.differs = ("partial" if i.errors else "ok"), None, []
        if i.is_report and i.agency and i.year and i.form:
            groups[(i.agency, i.year, i.form)].append(i)
    for group in groups.values():
        if len(group) < 2:
            continue
        held = min(group, key=_preference)
        cells = _cells(reports, held)
        for i in sorted(group, key=lambda i: i.source):
            if i is held:
                continue
            i.canonical = held.source
            if i.cells_sha256 == held.cells_sha256:
                i.status = "copy"
            else:
                other = _cells(reports, i)
                i.status = "superseded"
                i.differs = sorted(k for k in set(cells) | set(other) if cells.get(k) != other.get(k))


def _preference(i: InputResult) -> tuple[int, int, int, str]:
    """Smallest first: the latest publication, the fewest errors, the most determined cells, the first path."""
    published = int((i.published or "0").replace("-", ""))
    return (-published, i.errors, -i.observations, i.source)


def _parsed(reports: Path, i: InputResult) -> dict[str, object]:
    """The parser's JSON of an input's report, as its worker wrote it."""
    try:
        parsed = json.loads((reports / f"{Path(i.file or '').stem}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _cells(reports: Path, i: InputResult) -> dict[str, object]:
    cells = _parsed(reports, i).get("cells")
    return cells if isinstance(cells, dict) else {}


def versions_quads(inputs: list[InputResult], iris: Iris, reports: Path) -> list[Quad]:
    """What the dataset says of the inputs it does not hold: each copy's file is a source of the
    report it copies; each superseded version is linked from the canonical report, with the cells
    that differ."""
    graph = NamedNode(iris.versions_graph)
    by_source = {i.source: i for i in inputs}
    out: list[Quad] = []

    def add(s: str, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(NamedNode(s), NamedNode(p), o, graph))

    for i in sorted(inputs, key=lambda i: i.source):
        held = by_source.get(i.canonical or "")
        if i.status not in ("copy", "superseded") or held is None or not (i.graph and held.graph):
            continue
        canonical, report = _report_iri(held.graph), _report_iri(i.graph)
        source = f"{report}/source"
        add(source, f"{RDF}type", NamedNode(f"{OGI}SourceFile"))
        add(source, f"{OGI}sha256", Literal(i.sha256 or "", datatype=NamedNode(f"{XSD}hexBinary")))
        name = _parsed(reports, i).get("source")
        if isinstance(name, str):
            add(source, f"{OGI}fileName", Literal(name))
        if i.status == "copy":
            add(canonical, f"{PROV}wasDerivedFrom", NamedNode(source))
            continue
        add(canonical, f"{OGI}otherVersion", NamedNode(report))
        add(report, f"{RDF}type", NamedNode(f"{OGI}SupersededVersion"))
        add(report, f"{PROV}wasDerivedFrom", NamedNode(source))
        for key in i.differs:
            add(report, f"{OGI}differsIn", Literal(key))
    return out


def previous_report_quads(inputs: list[InputResult], iris: Iris) -> list[Quad]:
    """``ogi:previousReport`` from each report the dataset holds to its agency's report of the year
    before, where the dataset holds one (in the versions graph: links between the inputs' reports)."""
    graph = NamedNode(iris.versions_graph)
    held: dict[tuple[str, int], list[str]] = defaultdict(list)
    for i in inputs:
        if i.is_report and i.agency and i.year and i.graph:
            held[(i.agency, i.year)].append(_report_iri(i.graph))
    link = NamedNode(f"{OGI}previousReport")
    return [
        Quad(NamedNode(report), link, NamedNode(previous), graph)
        for (agency, year), reports in sorted(held.items())
        for report in sorted(reports)
        for previous in sorted(held.get((agency, year - 1), []))
    ]


def _report_iri(graph: str) -> str:
    """A report's IRI from its graph's: ``…/graph/<id>`` → ``…/report/<id>``."""
    base, _, name = graph.rpartition("/graph/")
    return f"{base}/report/{name}"
