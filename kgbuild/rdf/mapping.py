"""The cell model to RDF: one named graph per report.

Each report is an ``ogi:AnnualReport`` with its three tables as ``qb:DataSet``s;
each cell the report determines is one ``qb:Observation``. A cell the source
leaves undetermined is no observation: it is in the report's parse issues.
Every observation points back to the source file and the line it was read on.

The quads are built with pyoxigraph terms, which cost a fraction of rdflib's
per triple; :func:`to_graph` gives an rdflib graph where one is wanted.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePosixPath

import rdflib
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from .. import __version__
from ..divisions import ancestors, divisions
from ..errors import Severity
from ..model import Report
from ..numbers import plain_decimal
from ..statute import ALL_TABLES, CellKey, Kind, column_kind, tables_of
from .iris import Iris, code
from .iris import division as division_iri
from .namespaces import (
    CNY,
    CODE,
    DCTERMS,
    OGI,
    ORG,
    PREFIXES,
    PROV,
    QB,
    RDF,
    RDFS,
    SDMX_ATTRIBUTE,
    SDMX_CODE,
    SDMX_DIMENSION,
    SKOS,
    XSD,
    YEAR,
)

SOFTWARE = f"https://w3id.org/kgbuild/software/{__version__}"
"""The parser as a PROV software agent, one IRI per version."""

_PLACEMENTS = {"cut": "digitRunCut", "order": "statutoryOrder"}
"""Cell.placed as the ontology's ogi:Placement individuals."""


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def _typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(datatype))


def value_literal(value: int | Decimal) -> Literal:
    """A cell value as a canonical literal: ``xsd:integer`` or ``xsd:decimal`` (``18000.0``)."""
    if isinstance(value, Decimal):
        text = plain_decimal(value)
        return _typed(text if "." in text else text + ".0", f"{XSD}decimal")
    return _typed(value, f"{XSD}integer")


def _structure_name(table: str, version: str) -> str:
    """The data structure (and cube) of a table in a form: T4's is the same in both."""
    return table if table == "T4" else f"{table}-{version}"


def _structure(table: str, version: str) -> str:
    return f"{OGI}{_structure_name(table, version)}"


def to_quads(report: Report, iris: Iris | None = None) -> list[Quad]:
    """The quads of one report: its own named graph, and what it shares with others.

    :param report: a parsed report with a statutory version.
    :param iris: where to mint IRIs (defaults to :data:`~kgbuild.rdf.DEFAULT_BASE`).
    """
    iris = iris or Iris()
    g = _n(iris.graph(report))
    # What many reports share (an agency, the parser) goes to one graph of its
    # own, so that the union of all graphs holds it once, not once per report.
    shared = _n(iris.shared_graph)
    quads: list[Quad] = []
    named: dict[str, NamedNode] = {}  # each IRI parsed once a report: most recur (predicates, cells, codes)

    def iri(value: str) -> NamedNode:
        n = named.get(value)
        if n is None:
            n = named[value] = NamedNode(value)
        return n

    def add(s: str, p: str, o: NamedNode | Literal, graph: NamedNode = g) -> None:
        quads.append(Quad(iri(s), iri(p), o, graph))

    r = iris.report(report)
    source = iris.source(report)
    add(r, f"{RDF}type", iri(f"{OGI}AnnualReport"))
    label = f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"
    add(r, f"{RDFS}label", Literal(label, language="zh"))
    if report.agency:
        agency = iris.agency(report.agency, report.division, report.office)
        add(r, f"{DCTERMS}publisher", iri(agency))
        for q in agency_quads(report, iris):
            quads.append(Quad(q.subject, q.predicate, q.object, shared))
    if report.year:
        add(r, f"{OGI}reportingYear", _typed(report.year, f"{XSD}gYear"))
        add(r, f"{DCTERMS}temporal", iri(f"{YEAR}{report.year}"))
    if report.version:
        add(r, f"{OGI}statutoryForm", iri(f"{OGI}Form{report.version}"))
    if report.published:
        add(r, f"{DCTERMS}issued", _typed(report.published, f"{XSD}date"))
    if report.table_form:
        add(r, f"{OGI}provincialForm", Literal(report.table_form))
    if report.scope == "aggregate":
        add(r, f"{OGI}aggregateScope", _typed("true", f"{XSD}boolean"))

    # Provenance: the source bytes, and the parsing that read them.
    activity = iris.activity(report)
    add(r, f"{PROV}wasDerivedFrom", iri(source))
    add(r, f"{PROV}wasGeneratedBy", iri(activity))
    add(source, f"{RDF}type", iri(f"{OGI}SourceFile"))
    if report.source:
        add(source, f"{OGI}fileName", Literal(PurePosixPath(report.source).as_posix()))
    add(source, f"{OGI}sha256", _typed(report.sha256, f"{XSD}hexBinary"))
    add(source, f"{OGI}inputForm", Literal(report.form))
    if report.encoding:
        add(source, f"{OGI}encoding", Literal(report.encoding))
    add(activity, f"{RDF}type", iri(f"{PROV}Activity"))
    add(activity, f"{PROV}used", iri(source))
    add(activity, f"{PROV}wasAssociatedWith", iri(SOFTWARE))
    add(SOFTWARE, f"{RDF}type", iri(f"{PROV}SoftwareAgent"), shared)
    add(SOFTWARE, f"{RDFS}label", Literal(f"kgbuild {__version__}"), shared)

    # One cube per table and form across all reports (in the shared graph); each report's table is a
    # slice of it with the agency and the period fixed. An agency or year the report does not name is a
    # node of its own, so that the slice still has every dimension and no two reports share it.
    agency_node = iris.agency(report.agency, report.division, report.office) if report.agency else f"{r}/agency"
    period = f"{YEAR}{report.year}" if report.year else f"{r}/period"
    if report.version:
        for table in tables_of(report.version):
            t = iris.table(report, table)
            cube = iris.cube(_structure_name(table, report.version))
            add(r, f"{OGI}table", iri(t))
            add(t, f"{RDF}type", iri(f"{QB}Slice"))
            add(t, f"{RDF}type", iri(f"{OGI}StatisticalTable"))
            add(t, f"{RDFS}label", Literal(f"{label} {ALL_TABLES[table].label}", language="zh"))
            add(t, f"{QB}sliceStructure", iri(f"{OGI}sliceByReport"))
            add(t, f"{OGI}agency", iri(agency_node))
            add(t, f"{SDMX_DIMENSION}refPeriod", iri(period))
            add(t, f"{OGI}report", iri(r))
            add(cube, f"{QB}slice", iri(t))
            add(cube, f"{RDF}type", iri(f"{QB}DataSet"), shared)
            add(cube, f"{QB}structure", iri(_structure(table, report.version)), shared)
            # Table 4 is the same in both statutory forms; the 2008 table's title names its years.
            form = "" if table in ("T4", "P") else f"（{report.version}年版）"
            add(cube, f"{RDFS}label", Literal(f"{ALL_TABLES[table].label}{form}", language="zh"), shared)

    def cell_node(key: str, observed: bool) -> str:
        """A cell's node: in its cube and its table's slice (an observation), or a missing cell of its
        table; its row and column codes. An observation's type and key follow from those (qb:dataSet
        implies qb:Observation; the codes' notations make the key), so it states neither: five triples."""
        table = ALL_TABLES[CellKey.parse(key).table]
        node = iris.observation(report, key)
        row_code, column_code = code(key)
        if observed:
            add(node, f"{QB}dataSet", iri(iris.cube(_structure_name(table.key, report.version or ""))))
            add(iris.table(report, table.key), f"{QB}observation", iri(node))
        else:
            add(node, f"{RDF}type", iri(f"{OGI}MissingCell"))
            add(node, f"{OGI}inTable", iri(iris.table(report, table.key)))
            add(node, f"{OGI}cellKey", Literal(key))
        add(node, f"{OGI}{table.row_property}", iri(row_code))
        add(node, f"{OGI}{table.column_property}", iri(column_code))
        return node

    prose = set(report.prose)
    for key, cell in report.cells.items():
        if cell.value is None:
            continue  # undetermined: no observation; the issues say why
        o = cell_node(key, observed=True)
        value = value_literal(cell.value)
        add(o, f"{OGI}value", value)
        if column_kind(key) is Kind.MONEY:  # 万元: CNY × 10⁴
            add(o, f"{SDMX_ATTRIBUTE}unitMeasure", iri(CNY))
            add(o, f"{SDMX_ATTRIBUTE}unitMult", _typed(4, f"{XSD}integer"))
        if cell.line:
            add(o, f"{OGI}sourceLine", _typed(cell.line, f"{XSD}positiveInteger"))
        if cell.text and cell.text.strip() != str(cell.json_value()):  # only what the value does not say
            add(o, f"{OGI}sourceText", Literal(cell.text))
        if cell.inferred_by:
            add(o, f"{SDMX_ATTRIBUTE}obsStatus", iri(f"{SDMX_CODE}obsStatus-I"))  # imputed
        for rule in cell.inferred_by:
            add(o, f"{OGI}inferredBy", iri(f"{OGI}rule{rule}"))
        if cell.placed:
            add(o, f"{OGI}placedBy", iri(f"{OGI}{_PLACEMENTS[cell.placed]}"))
        if key in prose:
            add(o, f"{OGI}fromProse", _typed("true", f"{XSD}boolean"))

    # An inferred cell's note is already on its observation (ogi:inferredBy).
    problems = [i for i in report.issues if i.severity is not Severity.INFO]
    issue_of: dict[str, str] = {}  # the issue that names a cell, its row or its table
    for n, issue in enumerate(problems, start=1):
        i = iris.issue(report, n)
        if issue.key:
            issue_of.setdefault(issue.key, i)
        add(r, f"{OGI}issue", iri(i))
        add(i, f"{RDF}type", iri(f"{OGI}ParseIssue"))
        add(i, f"{OGI}issueCode", iri(f"{CODE}issue/{issue.code}"))
        add(i, f"{OGI}severity", iri(f"{CODE}severity/{issue.severity.value}"))
        add(i, f"{RDFS}comment", Literal(issue.message))
        if issue.key:
            add(i, f"{OGI}cellKey", Literal(issue.key))
        if issue.location.line:
            add(i, f"{OGI}sourceLine", _typed(issue.location.line, f"{XSD}positiveInteger"))
        for rule_id in issue.rules:
            add(i, f"{OGI}balanceRule", iri(f"{OGI}rule{rule_id}"))

    # A cell the form has but the source does not determine: no observation,
    # but a record a query can list, at the IRI its observation would have.
    for key, cell in report.cells.items():
        if cell.value is not None:
            continue
        k = CellKey.parse(key)
        m = cell_node(key, observed=False)
        reason = issue_of.get(key) or issue_of.get(k.row_key) or issue_of.get(k.table)
        if reason:
            add(m, f"{OGI}reason", iri(reason))
    return by_subject(quads)


def by_subject(quads: list[Quad]) -> list[Quad]:
    """Quads grouped by subject, subjects in order of first appearance.

    Turtle then writes each resource once, as a person reads it.
    """
    groups: dict[object, list[Quad]] = {}
    for q in quads:
        groups.setdefault(q.subject, []).append(q)
    return [q for group in groups.values() for q in group]


def turtle(triples: Iterable[Triple]) -> bytes:
    """Triples as Turtle with the project's prefixes."""
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b""


def to_turtle(report: Report, iris: Iris | None = None) -> bytes:
    """One report's triples as Turtle, resources grouped as a person reads them."""
    return turtle(q.triple for q in to_quads(report, iris))


def agency_quads(report: Report, iris: Iris) -> list[Quad]:
    """The agency, its place in its government, and its division with the division's parents."""
    out: list[Quad] = []
    g = _n(iris.shared_graph)

    def add(s: str, p: str, o: NamedNode | Literal) -> None:
        out.append(Quad(_n(s), _n(p), o, g))

    def describe(node: str, label: str) -> None:
        add(node, f"{RDF}type", _n(f"{OGI}GovernmentAgency"))
        add(node, f"{RDF}type", _n(f"{ORG}Organization"))
        add(node, f"{SKOS}prefLabel", Literal(label, language="zh"))

    assert report.agency
    agency = iris.agency(report.agency, report.division, report.office)
    if not (report.division and report.office):
        describe(agency, report.agency)
        return out
    place = divisions()[report.division]
    describe(agency, place.name + report.office)
    if report.agency != place.name + report.office:
        add(agency, f"{SKOS}altLabel", Literal(report.agency, language="zh"))  # as this report names it
    add(agency, f"{DCTERMS}spatial", _n(division_iri(place.code)))
    if report.office != "人民政府":  # its general office, or a department, of the place's government
        government = iris.agency(report.agency, place.code, "人民政府")
        add(agency, f"{ORG}subOrganizationOf", _n(government))
        describe(government, place.name + "人民政府")
        add(government, f"{DCTERMS}spatial", _n(division_iri(place.code)))
    for d in [place, *ancestors(place.code)]:
        node = division_iri(d.code)
        add(node, f"{RDF}type", _n(f"{SKOS}Concept"))
        add(node, f"{SKOS}inScheme", _n(f"{CODE}division"))
        add(node, f"{SKOS}notation", Literal(d.code))
        add(node, f"{SKOS}prefLabel", Literal(d.name, language="zh"))
        add(node, f"{OGI}divisionLevel", _n(f"{CODE}division-level/{d.level}"))
        if d.parent:
            add(node, f"{SKOS}broader", _n(division_iri(d.parent)))
    return out


def to_graph(report: Report, iris: Iris | None = None) -> rdflib.Graph:
    """One report's triples as an rdflib graph (for pyshacl, comparisons, and rdflib users)."""
    triples = (q.triple for q in to_quads(report, iris))
    return rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
