"""The graph: Data Cube well-formedness, the code lists, provenance, dumps, golden Turtle."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from common import EXPECTED, FIXTURES, SEEDS
from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kgbuild import parse
from kgbuild.build import build, memory_store
from kgbuild.cli import cli
from kgbuild.rdf import Iris, to_graph, to_turtle
from kgbuild.rdf.iris import code
from kgbuild.rdf.namespaces import CODE, OGI, QB
from kgbuild.statute import TABLES, VERSIONS, CellKey, cell_keys, column_kind, rows
from kgbuild.store import OxigraphStore

ROOT = Path(__file__).parent.parent
DATA_CUBE = Path(__file__).parent / "data_cube"
NEW_NATURAL = (
    f"<{OGI}t3Row> <https://w3id.org/kgbuild/code/t3-row/new> ; "
    f"<{OGI}applicant> <https://w3id.org/kgbuild/code/applicant/natural>"
)
"""The dimensions of the cell T3.new.natural, as a SPARQL predicate-object list."""
BUNDLED = [ROOT / "examples", *sorted(SEEDS.glob("*.txt")), FIXTURES / "real" / "shanghai-office-2019.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built")
    result = build(BUNDLED, out)
    assert not result.failed
    return out


@pytest.fixture(scope="module")
def normalised(built: Path) -> Store:
    store = Store()
    store.bulk_load(path=str(built / "kgbuild.ttl"), format=RdfFormat.TURTLE)
    for phase in ("normalize-phase-1.ru", "normalize-phase-2.ru"):
        store.update((DATA_CUBE / phase).read_text())
    return store


@pytest.mark.parametrize("ic", sorted(p.name for p in DATA_CUBE.glob("ic-*.rq")))
def test_data_cube_integrity_constraint(normalised: Store, ic: str) -> None:
    assert not bool(normalised.query((DATA_CUBE / ic).read_text())), ic


@pytest.mark.parametrize("ic", ["ic-20.rq.template", "ic-21.rq.template"])
def test_data_cube_hierarchy_constraints(normalised: Store, ic: str) -> None:
    """IC-20 and IC-21, instantiated for each parent-child property the graph's code lists name."""
    template = (DATA_CUBE / ic).read_text()
    pcp = "<http://purl.org/linked-data/cube#parentChildProperty>"
    found = f"SELECT DISTINCT ?p WHERE {{ ?l {pcp} ?p }}"
    inverse = f"SELECT DISTINCT ?p WHERE {{ ?l {pcp} [ <http://www.w3.org/2002/07/owl#inverseOf> ?p ] }}"
    properties = [s["p"] for s in normalised.query(inverse if "21" in ic else found)]
    # skos:broader stands in where the graph names none, so that the query itself runs.
    for p in [*properties, rdflib.SKOS.broader]:
        assert not bool(normalised.query(template.replace("$p", f"<{p if isinstance(p, str) else p.value}>"))), (ic, p)


def test_ic12_catches_a_report_loaded_twice(built: Path) -> None:
    """Reports share one cube per table and form, so a cell given twice for one agency and year is caught."""
    store = Store()
    store.bulk_load(path=str(built / "kgbuild.ttl"), format=RdfFormat.TURTLE)
    store.update(
        "PREFIX qb: <http://purl.org/linked-data/cube#> "
        f"INSERT {{ <urn:twice> qb:dataSet ?d ; <{OGI}t3Row> ?r ; <{OGI}applicant> ?a ; <{OGI}value> 1 . "
        "?slice qb:observation <urn:twice> } "
        f"WHERE {{ {{ SELECT * WHERE {{ ?o {NEW_NATURAL} ; qb:dataSet ?d ; <{OGI}t3Row> ?r ; "
        f"<{OGI}applicant> ?a . ?slice qb:observation ?o }} LIMIT 1 }} }}"
    )
    for phase in ("normalize-phase-1.ru", "normalize-phase-2.ru"):
        store.update((DATA_CUBE / phase).read_text())
    assert bool(store.query((DATA_CUBE / "ic-12.rq").read_text()))


def test_integrity_constraints_catch_a_broken_cube(built: Path) -> None:
    """The checks have teeth: an observation without its row dimension breaks IC-11."""
    store = Store()
    store.bulk_load(path=str(built / "kgbuild.ttl"), format=RdfFormat.TURTLE)
    store.update(f"DELETE {{ ?o <{OGI}t3Row> ?r }} WHERE {{ ?o {NEW_NATURAL} ; <{OGI}t3Row> ?r }}")
    for phase in ("normalize-phase-1.ru", "normalize-phase-2.ru"):
        store.update((DATA_CUBE / phase).read_text())
    assert bool(store.query((DATA_CUBE / "ic-11.rq").read_text()))


def test_cells_query_returns_exactly_the_seeds(tmp_path: Path) -> None:
    build(sorted(SEEDS.glob("*.txt")), tmp_path)
    result = CliRunner().invoke(cli, ["export-csv", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = io.StringIO(result.output)
    got: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(out.getvalue())):
        got.setdefault(row["file"], {})[row["key"]] = row["value"]
    assert sorted(got) == sorted(EXPECTED)
    for name, expected in EXPECTED.items():
        undetermined = set(expected["undetermined"])
        want = {k: v for k, v in expected["cells"].items() if v is not None and k not in undetermined}
        have = {k: Decimal(v) for k, v in got[name].items()}
        assert {k: have.get(k) for k in want} == {k: Decimal(str(v)) for k, v in want.items()}, name
        extra = {k: v for k, v in have.items() if k not in want}
        # Anything more is a cell the source leaves blank, filled by a rule with its true value.
        assert all(k in undetermined and v == Decimal(str(expected["cells"][k])) for k, v in extra.items()), name


def test_dumps_parse_in_oxigraph_and_rdflib(built: Path) -> None:
    store = memory_store(built)
    graphs = {g.value for g in store.named_graphs()}
    reports = json.loads((built / "manifest.json").read_text())["inputs"]
    assert {r["graph"] for r in reports if r["graph"]} <= graphs
    dataset = rdflib.Dataset()
    dataset.parse(built / "kgbuild.nq", format="nquads")
    assert len(set(dataset.quads())) == len(store)
    turtle = rdflib.Graph().parse(built / "kgbuild.ttl", format="turtle")
    union = {(q.subject, q.predicate, q.object) for q in store}
    assert len(turtle) == len(union)
    for f in (built / "reports").glob("*.ttl"):
        report = rdflib.Graph().parse(f, format="turtle")
        assert len(list(report.subjects(rdflib.RDF.type, rdflib.URIRef(f"{OGI}AnnualReport")))) == 1


def test_same_input_same_bytes(built: Path, tmp_path: Path) -> None:
    build(BUNDLED, tmp_path)
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file() and "store" not in p.parts)
    assert len(files) > 8  # the dumps, the reports' Turtle, the ontology; the store is a database, not a dump
    for f in files:
        assert (tmp_path / f).read_bytes() == (built / f).read_bytes(), f


def test_agency_iri_stable_across_years() -> None:
    xia_2020 = parse(SEEDS / "000_a625d82b2993cd46.txt")
    xia_office_2024 = parse(SEEDS / "002_2d2c2c3c79ace67b.txt")
    iris = Iris()
    assert iris.agency("夏县人民政府") == iris.agency(xia_2020.agency)  # type: ignore[arg-type]
    assert iris.agency(xia_office_2024.agency) != iris.agency(xia_2020.agency)  # type: ignore[arg-type]
    assert Iris("https://data.example.org/ogi").report(xia_2020).startswith("https://data.example.org/ogi/report/")


def test_observation_provenance_to_the_line() -> None:
    report = parse(SEEDS / "003_c50bb1760576b204.txt")
    g = to_graph(report)
    o = rdflib.URIRef(Iris().observation(report, "T2.procurement.amount"))
    ogi = rdflib.Namespace("https://w3id.org/kgbuild/def#")
    assert g.value(o, ogi.value) == rdflib.Literal("18000.0", datatype=rdflib.XSD.decimal)
    assert str(g.value(o, ogi.sourceText)) == "1.8 亿元"
    assert g.value(o, ogi.sourceLine).toPython() == report.cells["T2.procurement.amount"].line
    assert g.value(o, rdflib.PROV.wasDerivedFrom) is None  # the report names its source once, not each cell
    source = g.value(rdflib.URIRef(Iris().report(report)), rdflib.PROV.wasDerivedFrom)
    assert str(g.value(source, ogi.sha256)) == report.sha256
    assert g.value(o, rdflib.URIRef("http://purl.org/linked-data/sdmx/2009/attribute#unitMult")).toPython() == 4
    plain = rdflib.URIRef(Iris().observation(report, "T3.new.natural"))
    assert g.value(plain, ogi.sourceText) is None  # its text is its value: not repeated
    inferred = rdflib.URIRef(Iris().observation(report, "T3.total.natural"))
    assert set(g.objects(inferred, ogi.inferredBy)) <= {ogi.rule1, ogi.rule2, ogi.rule3}
    assert set(g.objects(inferred, ogi.inferredBy))


def test_a_missing_cell_is_no_observation() -> None:
    report = parse(SEEDS / "002_2d2c2c3c79ace67b.txt")
    g = to_graph(report)
    ogi = rdflib.Namespace("https://w3id.org/kgbuild/def#")
    keys = {str(k) for k in g.objects(None, ogi.cellKey)}
    assert "T2.normative.issued" not in {str(k) for s, k in g.subject_objects(ogi.cellKey) if (s, ogi.value, None) in g}
    assert "T2.normative" in keys  # the short-row issue names the row


GOLDEN = FIXTURES / "golden" / "huachuan-2020.ttl"


def test_golden_turtle(update_golden: bool) -> None:
    report = parse(SEEDS / "003_c50bb1760576b204.txt", name="huachuan-2020.txt")
    actual = to_graph(report)
    if update_golden:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(to_turtle(report))
    expected = rdflib.Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(actual, expected):
        _, in_actual, in_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graph differs from golden\n+ " + "\n+ ".join(sorted(in_actual.serialize(format="nt").splitlines()))
            + "\n- " + "\n- ".join(sorted(in_expected.serialize(format="nt").splitlines()))
        )  # fmt: skip


# --- The ontology and code lists, tested like code -------------------------------

ONTOLOGY = rdflib.Graph()
for _f in (ROOT / "ontology").glob("*.ttl"):
    ONTOLOGY.parse(_f, format="turtle")
SKOS = rdflib.SKOS


@pytest.mark.parametrize("version", VERSIONS)
def test_every_cell_key_has_its_codes(version: str) -> None:
    for key in cell_keys(version):
        _, row, column = CellKey.parse(key)
        row_code, column_code = (rdflib.URIRef(c) for c in code(key))
        assert (row_code, SKOS.notation, rdflib.Literal(row)) in ONTOLOGY, key
        assert (column_code, SKOS.notation, rdflib.Literal(column)) in ONTOLOGY, key
        assert ONTOLOGY.value(row_code, SKOS.prefLabel) is not None


@pytest.mark.parametrize("version", VERSIONS)
def test_each_column_code_states_its_kind(version: str) -> None:
    """The kind the parser reads a column as (statute.Kind) is the kind the code list publishes."""
    for key in cell_keys(version):
        column_code = rdflib.URIRef(code(key)[1])
        kind = ONTOLOGY.value(column_code, rdflib.URIRef(f"{OGI}valueKind"))
        assert kind is not None, key
        assert ONTOLOGY.value(kind, SKOS.notation) == rdflib.Literal(column_kind(key).value), key


@pytest.mark.parametrize("table", TABLES.values(), ids=list(TABLES))
def test_statute_tables_are_the_ontologys(table) -> None:
    """statute.TABLES is the Python's one source; the ontology publishes the same dimensions."""
    qb, ogi, code_ns = rdflib.Namespace(QB), rdflib.Namespace(OGI), rdflib.Namespace(CODE)
    for prop, scheme in ((table.row_property, table.row_scheme), (table.column_property, table.column_scheme)):
        assert (ogi[prop], rdflib.RDF.type, qb.DimensionProperty) in ONTOLOGY
        assert (ogi[prop], qb.codeList, code_ns[scheme]) in ONTOLOGY
    structures = list(ONTOLOGY.subjects(SKOS.notation, rdflib.Literal(table.key)))
    assert structures
    for structure in structures:
        assert table.label in str(ONTOLOGY.value(structure, rdflib.RDFS.label))


@pytest.mark.parametrize("version", VERSIONS)
def test_collections_name_each_forms_rows(version: str) -> None:
    for table in ("t2-row", "t3-row"):
        collection = rdflib.URIRef(f"https://w3id.org/kgbuild/code/{table}-{version}")
        members = {str(m).rsplit("/", 1)[1] for m in ONTOLOGY.objects(collection, SKOS.member)}
        assert members == {r.key for r in rows(version) if r.table == table[:2].upper()}


def test_every_ogi_term_used_is_declared(built: Path) -> None:
    store = memory_store(built)
    used = set()
    for q in store:
        for term in (q.predicate, q.object):
            if isinstance(term, NamedNode) and term.value.startswith(OGI) and term.value != OGI:
                used.add(rdflib.URIRef(term.value))
    declared = set(ONTOLOGY.subjects(rdflib.RDF.type, None))
    assert used - declared == set()


def test_sub_rows_have_their_groups() -> None:
    broader = {str(s).rsplit("/", 1)[1]: str(o).rsplit("/", 1)[1] for s, o in ONTOLOGY.subject_objects(SKOS.broader)}
    assert broader["denied.secret"] == "denied" and broader["other.misc"] == "other"
    assert broader["commercial"] == "organisation" and broader["suit_direct"] == "suit"


def test_select_cells_by_sparql(built: Path) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?o <http://purl.org/linked-data/cube#dataSet> ?cube }"
    result = OxigraphStore(store=memory_store(built)).select(query)
    assert result.variables == ["n"] and result.rows[0][0] > 1000  # type: ignore[operator]


def test_issue_codes_are_a_code_list() -> None:
    """Every issue code of kgbuild.errors.CODES is a concept of code:issue, and no other."""
    from kgbuild.errors import CODES

    scheme = rdflib.URIRef("https://w3id.org/kgbuild/code/issue")
    notations = {str(ONTOLOGY.value(c, SKOS.notation)) for c in ONTOLOGY.subjects(SKOS.inScheme, scheme)}
    assert notations == set(CODES)
