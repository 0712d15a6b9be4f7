"""The SHACL shapes: structure, balance rules within a report and across years.

pyshacl is the validator of record; the store engine (SPARQL constraints run
over all reports at once) must find exactly what pyshacl finds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyshacl
import pytest
import rdflib
from click.testing import CliRunner
from common import SEEDS, checked_findings, expected_cells, store_of
from forms import markdown_tabs
from pyoxigraph import NamedNode, Quad, RdfFormat, Store
from pyoxigraph import parse as ox_parse

from kgbuild import parse
from kgbuild.build import ontology_quads
from kgbuild.cli import cli
from kgbuild.rdf import Iris, to_graph
from kgbuild.validate import shapes_graph, validate_graph, validate_store

OGI = rdflib.Namespace("https://w3id.org/kgbuild/def#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
HUACHUAN = expected_cells("003_c50bb1760576b204.txt")
XIA_OFFICE = {k: v for k, v in expected_cells("002_2d2c2c3c79ace67b.txt").items() if v is not None}
APPLICANTS = ("natural", "commercial", "research", "social", "legal", "other", "total")
XIA_WITH_OTHER = {**XIA_OFFICE, **{f"T3.other.{c}": 0 for c in APPLICANTS}}  # the 其他处理 group row printed


def _report(cells: dict, version: str, year: int, agency: str = "夏县人民政府"):  # type: ignore[no-untyped-def]
    return parse(markdown_tabs(agency, year, version, cells).encode(), name=f"{agency}-{year}.txt")


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seeds_conform(name: str) -> None:
    assert checked_findings(parse(SEEDS / name)) == []


def _cell_of(iri: str | None) -> str:
    assert iri is not None
    return ".".join(iri.split("/report/")[1].split("/")[1:])


@pytest.mark.parametrize(
    ("cells", "version", "key", "broken"),
    [
        (HUACHUAN, "2019", "T3.new.natural", {(1, "T3.new.natural"), (2, "T3.new.total")}),
        (HUACHUAN, "2019", "T3.granted.research", {(3, "T3.total.research"), (2, "T3.granted.total")}),
        (HUACHUAN, "2019", "T3.forward.total", {(1, "T3.new.total"), (2, "T3.forward.total")}),
        (XIA_WITH_OTHER, "2021", "T3.other.misc.legal",
         {(3, "T3.total.legal"), (4, "T3.other.legal"), (2, "T3.other.misc.total")}),
        (HUACHUAN, "2019", "T4.review.pending", {(5, "T4.review.total")}),
    ],
)  # fmt: skip
def test_one_changed_number_fails_exactly_its_rules(cells: dict, version: str, key: str, broken: set) -> None:
    findings = checked_findings(_report({**cells, key: cells[key] + 1}, version, 2020))
    assert {(f.rule, _cell_of(f.value)) for f in findings} == broken
    assert all("difference" in f.message for f in findings)


def test_message_names_the_rule_the_cells_and_the_difference() -> None:
    (finding,) = [
        f for f in checked_findings(_report({**HUACHUAN, "T4.review.pending": 1}, "2019", 2020)) if f.rule == 5
    ]
    assert (
        finding.message
        == "rule 5, group review: total = 1, but upheld + corrected + other + pending = 2; difference -1"
    )


def _two_years(carried: int) -> tuple:  # type: ignore[type-arg]
    """夏县人民政府 in 2020 carries 2 applications forward; in 2021 it says it carried `carried` over."""
    y2020 = {**HUACHUAN, "T3.new.natural": 11, "T3.new.total": 11, "T3.forward.natural": 2, "T3.forward.total": 2}
    y2021 = {**XIA_OFFICE}
    for row in ("carried", "forward"):
        y2021[f"T3.{row}.natural"] = y2021[f"T3.{row}.total"] = carried
    return _report(y2020, "2019", 2020), _report(y2021, "2021", 2021)


def test_rule_6_carry_over_matches() -> None:
    assert checked_findings(*_two_years(carried=2)) == []


def test_rule_6_carry_over_mismatch() -> None:
    findings = checked_findings(*_two_years(carried=3))
    assert {(f.rule, _cell_of(f.value)) for f in findings} == {(6, "T3.carried.natural"), (6, "T3.carried.total")}
    assert findings[0].message.startswith("rule 6, column ")
    assert "the 2020 report carried forward 2; difference 1" in findings[0].message


def test_rule_6_needs_the_same_agency() -> None:
    y2020, _ = _two_years(carried=3)
    other = _report({**XIA_OFFICE, "T3.carried.natural": 3, "T3.carried.total": 3, "T3.forward.natural": 3,
                     "T3.forward.total": 3}, "2021", 2021, agency="阳高县人民政府")  # fmt: skip
    assert checked_findings(y2020, other) == []


def _next_year_t2(cells: dict) -> dict:
    out = dict(cells)
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        out[f"T2.{row}.prev"] = cells[f"T2.{row}.prev"] + cells[f"T2.{row}.change"]
    return out


def test_rule_7_items_follow_on() -> None:
    assert checked_findings(_report(HUACHUAN, "2019", 2019), _report(_next_year_t2(HUACHUAN), "2019", 2020)) == []


def test_rule_7_is_a_warning() -> None:
    later = {**_next_year_t2(HUACHUAN), "T2.licensing.prev": 300}
    findings = checked_findings(_report(HUACHUAN, "2019", 2019), _report(later, "2019", 2020))
    assert [(f.rule, f.severity.value, _cell_of(f.value)) for f in findings] == [(7, "warning", "T2.licensing.prev")]
    assert validate_store(store_of(_report(HUACHUAN, "2019", 2019), _report(later, "2019", 2020))).conforms


# --- Structure shapes: each has a case it passes (the seeds) and one it fails ----


def _mutated(update: str) -> list[tuple[str, str | None, str]]:
    report = parse(SEEDS / "003_c50bb1760576b204.txt")
    g = to_graph(report)
    g.update(update)
    fast_store = Store()
    fast_store.extend(ontology_quads())
    graph = NamedNode(Iris().graph(report))
    triples = ox_parse(g.serialize(format="nt").encode(), format=RdfFormat.N_TRIPLES)
    fast_store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    fast = validate_store(fast_store).findings
    # The same triples, with no prefixes the update bound: pyshacl's own messages use them.
    reference = validate_graph(rdflib.Graph().parse(data=g.serialize(format="nt"), format="nt")).findings
    assert sorted(f.key for f in fast) == sorted(f.key for f in reference)
    base = Iris().report(report)

    def local(iri: str | None) -> str | None:
        return iri and re.split(r"[#/]", iri)[-1]

    found = {(f.focus.replace(base, ""), local(f.path), local(f.constraint)) for f in fast}
    return sorted(found, key=lambda t: tuple(x or "" for x in t))


PREFIXES = """
PREFIX ogi: <https://w3id.org/kgbuild/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX r: <https://w3id.org/kgbuild/id/report/53b9217453ec894e/>
PREFIX report: <https://w3id.org/kgbuild/id/report/>
"""
R = "report:53b9217453ec894e"
MIN, MAX, XONE = "MinCountConstraintComponent", "MaxCountConstraintComponent", "XoneConstraintComponent"
NEW_NATURAL = "<https://w3id.org/kgbuild/id/report/53b9217453ec894e/T3/new/natural>"
RULES_MADE = "<https://w3id.org/kgbuild/id/report/53b9217453ec894e/T2/rules/made>"
ISSUED = "<https://w3id.org/kgbuild/code/t2-column/issued>"
MUTATIONS = {
    "no-agency": (f"DELETE WHERE {{ {R} dcterms:publisher ?a }}", [("", "publisher", MIN)]),
    "no-year": (f"DELETE WHERE {{ {R} ogi:reportingYear ?y }}", [("", "reportingYear", MIN)]),
    "two-forms": (
        f"INSERT DATA {{ {R} ogi:statutoryForm ogi:Form2021 }}",
        [("", None, "CodesOfTheForm"), ("", "statutoryForm", MAX)],
    ),
    "two-tables": (f"DELETE WHERE {{ {R} ogi:table r:T4 }}", [("", None, XONE)]),  # neither 3 tables nor one P
    "negative-count": (
        f"DELETE {{ {NEW_NATURAL} ogi:value ?v }} INSERT {{ {NEW_NATURAL} ogi:value -1 }} "
        f"WHERE {{ {NEW_NATURAL} ogi:value ?v }}",
        [("", None, "Rule1"), ("", None, "Rule2"), ("/T3/new/natural", None, XONE)],
    ),
    "fractional-count": (
        f"DELETE {{ {RULES_MADE} ogi:value ?v }} INSERT {{ {RULES_MADE} ogi:value 5.5 }} "
        f"WHERE {{ {RULES_MADE} ogi:value ?v }}",
        [("/T2/rules/made", None, XONE)],
    ),
    "wrong-code": (
        f"INSERT DATA {{ {RULES_MADE} ogi:t2Column {ISSUED} }}",
        [("", None, "CodesOfTheForm"), ("/T2/rules/made", "t2Column", MAX)],
    ),
    "two-observations": (
        "INSERT DATA { r:extra a qb:Observation ; qb:dataSet <https://w3id.org/kgbuild/id/dataset/T3-2019> ; "
        "ogi:t3Row <https://w3id.org/kgbuild/code/t3-row/new> ; "
        "ogi:applicant <https://w3id.org/kgbuild/code/applicant/natural> ; "
        "ogi:value 9 . r:T3 qb:observation r:extra }",
        [("", None, "OneObservationPerCellT3")],
    ),
    "no-sha256": ("DELETE WHERE { r:source ogi:sha256 ?h }", [("/source", "sha256", MIN)]),
    "orphan-table": ("DELETE WHERE { r:T3 ogi:report ?r }", [("/T3", "report", MIN)]),
}


@pytest.mark.parametrize(("update", "expected"), MUTATIONS.values(), ids=MUTATIONS.keys())
def test_structure_shapes_catch(update: str, expected: list) -> None:
    found = _mutated(PREFIXES + update)
    assert [(focus, path, c.replace("http://www.w3.org/ns/shacl#", "")) for focus, path, c in found] == expected


def test_shapes_conform_to_shacl_shacl() -> None:
    """The shapes graph is valid SHACL: checked against the W3C shapes for shapes."""
    shsh = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    conforms, _, text = pyshacl.validate(shapes_graph(), shacl_graph=rdflib.Graph().parse(shsh))
    assert conforms, text


def test_every_sparql_constraint_has_a_message_with_the_difference() -> None:
    g = shapes_graph()
    for constraint in g.subjects(rdflib.RDF.type, SH.SPARQLConstraint):
        message = str(g.value(constraint, SH.message))
        assert message and ("{?" in message), constraint
        if "Rule" in str(constraint):
            assert "difference {?difference}" in message, constraint


def test_validate_cli(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(markdown_tabs("夏县人民政府", 2020, "2019", {**HUACHUAN, "T4.review.pending": 1}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad), "--format", "json", "--report", str(tmp_path / "v.ttl")])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["file"], r.get("rules"), r["key"], r["severity"], r["code"]) for r in rows] == [
        ("bad.txt", [5], "T4.review.total", "error", "balance-violation")
    ]
    report = rdflib.Graph().parse(tmp_path / "v.ttl")
    assert (None, SH.conforms, rdflib.Literal(False)) in report
    ok = CliRunner().invoke(cli, ["validate", str(SEEDS / "000_a625d82b2993cd46.txt")], catch_exceptions=False)
    assert (ok.exit_code, ok.stdout) == (0, "0 errors, 0 warnings\n")


def test_rule_4_passes_when_the_group_row_adds_up() -> None:
    assert checked_findings(_report(XIA_WITH_OTHER, "2021", 2021)) == []


def test_rule_5_passes_when_a_group_adds_up() -> None:
    cells = {**HUACHUAN, "T4.review.pending": 1, "T4.review.total": 2}
    assert checked_findings(_report(cells, "2019", 2020)) == []
