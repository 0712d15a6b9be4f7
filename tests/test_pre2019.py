"""Reports of 2008–2018 (version 2008, FORMAT-2008.md): forms as data, prose, shapes, the series.

The real reports are ../shared/pre2019 (copied to fixtures/pre2019), with their
hand-checked values; the made-up ones test one thing each.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from common import checked_findings
from forms import markdown_tabs
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, Quad, Store

from kgbuild import parse
from kgbuild.build import ontology_quads
from kgbuild.cli import cli
from kgbuild.errors import NotAReport
from kgbuild.rdf import to_graph, to_quads
from kgbuild.resources import query_text
from kgbuild.store import OxigraphStore
from kgbuild.v2008.forms import FOLDER, forms
from kgbuild.validate import validate_graph, validate_store

PRE2019 = Path(__file__).parent / "fixtures" / "pre2019"
EXPECTED = json.loads((PRE2019 / "expected.json").read_text(encoding="utf-8"))
CODES = Path(__file__).parent.parent / "ontology" / "codes-2008.ttl"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


def _same(have: object, want: object) -> bool:
    return Decimal(str(have)) == Decimal(str(want))


@pytest.mark.parametrize("name", sorted(EXPECTED["reports"]))
def test_hand_checked_values(name: str) -> None:
    """Every determined cell found, no cell asserted that the source does not support."""
    want = EXPECTED["reports"][name]
    report = parse(PRE2019 / name)
    assert (report.version, report.year, report.table_form) == ("2008", want["year"], want["form"])
    assert report.agency is not None and report.agency.startswith(want["agency"][:4])
    undetermined = set(want.get("undetermined", []))
    for key, value in want["cells"].items():
        have = report.value(key)
        if value is None:
            assert have is None, key  # an empty cell, or an approximate figure: null, never 0
        elif key in undetermined:
            assert have is None or _same(have, value), key
        else:
            assert have is not None and _same(have, value), key


def test_the_letter_filed_among_the_reports_is_refused() -> None:
    with pytest.raises(NotAReport, match=r"its title is a 函 .*not-a-report"):
        parse(PRE2019 / "pingtan-letter-2014.txt")


def test_version_is_told_by_the_tables_and_the_year_not_the_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "report-2021.txt"
    misnamed.write_bytes((PRE2019 / "pingtan-zone-2014.txt").read_bytes())
    report = parse(misnamed)
    assert (report.version, report.year, report.table_form) == ("2008", 2014, "fujian-v2")


def test_a_digit_run_is_cut_only_where_one_cut_keeps_rule_a3_or_the_prose_chooses() -> None:
    report = parse(PRE2019 / "pingtan-county-2012.txt")
    # 20263542 has three cuts with 历年累计 ≥ 本年度, and the prose names no total: both null.
    assert report.value("P.proactive.total.year") is None and report.value("P.proactive.total.cum") is None
    assert "digit-run-ambiguous" in {i.code for i in report.issues if i.key == "P.proactive.total"}
    # 2121 is 2 | 121 or 21 | 21; the prose's 21 requests leaves one.
    assert (report.value("P.requests.received.year"), report.value("P.requests.received.cum")) == (21, 21)
    assert report.cells["P.requests.received.year"].placed == "cut"
    # 07 has one cut (no count starts with 0 unless it is 0).
    assert (report.value("P.proactive.gazette.year"), report.value("P.proactive.gazette.cum")) == (0, 7)


def test_prose_that_contradicts_the_table_is_a_warning_and_the_table_stands() -> None:
    report = parse(PRE2019 / "pingtan-county-2013.html")
    assert report.value("P.requests.channel.online.year") == 4  # the table; the prose says 3
    conflicts = [i for i in report.issues if i.code == "prose-table-conflict"]
    assert {i.key for i in conflicts} == {"P.requests.channel.online.year", "P.requests.channel.letter.year"}
    assert all("网上申请数3条" in i.message for i in conflicts)


def test_prose_figures_keep_their_sentence_and_say_they_are_prose() -> None:
    report = parse(PRE2019 / "pingtan-tax-2013.txt")
    assert report.table_form == "prose" and report.tables == ()
    cell = report.cells["P.proactive.total.year"]
    assert cell.value == 45 and "新增主动公开政府信息45条" in (cell.text or "")
    assert "P.proactive.total.year" in report.prose
    assert report.value("P.spending.year") == Decimal(1)  # 政府信息公开费用1万元, in 万元
    graph = to_graph(report)
    ogi = rdflib.Namespace("https://w3id.org/kgbuild/def#")
    from_prose = list(graph.subjects(ogi.fromProse, rdflib.Literal(True)))
    assert len(from_prose) == len([k for k in report.prose if report.value(k) is not None])


def _prose_report(sentence: str, year: int = 2012) -> str:
    return (
        f"某县人民政府{year}年政府信息公开工作年度报告\n\n"
        "一、概述\n本报告由概述、主动公开政府信息情况等部分组成。\n"
        f"二、依申请公开政府信息情况\n{sentence}\n"
    )


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("2012年共收到政府信息公开申请约30条。", "P.requests.received.year"),
        ("2012年新增主动公开政府信息5300余条。", "P.proactive.total.year"),
        ("全年新增主动公开政府信息4000多条。", "P.proactive.total.year"),
        ("2012年共接待咨询900人次左右。", "P.consult.total.year"),
    ],
)
def test_an_approximate_figure_is_no_value(sentence: str, key: str) -> None:
    report = parse(_prose_report(sentence).encode(), name="approx.txt")
    assert report.value(key) is None
    assert [i.code for i in report.issues if i.key == key] == ["approx"]


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2012年底，累计收到政府信息公开申请120条。",  # up to a date: 历年累计, not the year
        "2011年共收到政府信息公开申请9条。",  # another year
        "2003年至2012年共收到政府信息公开申请40条。",  # a longer period
    ],
)
def test_a_sentence_about_another_period_gives_no_value(sentence: str) -> None:
    report = parse(_prose_report(sentence).encode(), name="period.txt")
    assert report.value("P.requests.received.year") is None


def test_nothing_happened_asserts_zero_for_what_it_names_only() -> None:
    report = parse(_prose_report("2012年未收到政府信息公开申请。").encode(), name="none.txt")
    assert report.value("P.requests.received.year") == 0
    assert report.value("P.answers.total.year") is None  # a carried request may still be answered
    assert report.value("P.review.total.year") is None


def test_two_figures_for_one_key_leave_it_null() -> None:
    sentence = "2012年共收到政府信息公开申请21条。全年共收到政府信息公开申请25条。"
    report = parse(_prose_report(sentence).encode(), name="twice.txt")
    assert report.value("P.requests.received.year") is None
    assert "prose-conflict" in {i.code for i in report.issues}


MADE_UP_FORM = """
form = "made-up-v1"
title = "政府信息公开情况统计"
columns = ["year", "cum"]
marks = ["政府信息公开申请受理数"]
rows = [
  { key = "proactive.total", labels = ["主动公开政府信息数"], unit = "条" },
  { key = "requests.received", labels = ["政府信息公开申请受理数"], unit = "件" },
  { key = "requests.channel.online", labels = ["网络申请"], unit = "件" },
  { key = "requests.channel.letter", labels = ["信函申请"], unit = "件" },
  { key = "review.total", labels = ["行政复议案件数"], unit = "件" },
]
rules = [
  { id = "A1", total = "requests.received", parts = ["requests.channel.online", "requests.channel.letter"] },
]
"""


def _made_up_report(year: int, rows: list[tuple[str, int, int]]) -> bytes:
    table = "\n".join(f"{label}\t{unit}\t{y}\t{c}" for label, unit, y, c in rows)  # type: ignore[misc]
    return (
        f"某省某县人民政府{year}年政府信息公开工作年度报告\n\n一、概述\n本年度工作有序开展。\n\n"
        f"附件：某县{year}年政府信息公开情况统计表\n指标名称\t计量单位\t{year}年度\t历年累计\n{table}\n"
    ).encode()


@pytest.fixture
def made_up_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "made-up-v1.toml").write_text(MADE_UP_FORM, encoding="utf-8")
    monkeypatch.setenv("KGBUILD_FORMS_2008", str(folder))
    return folder


def _rows(proactive: tuple[int, int], online: tuple[int, int], letter: tuple[int, int]) -> list:
    received = (online[0] + letter[0], online[1] + letter[1])
    return [
        ("主动公开政府信息数", "条", *proactive),
        ("政府信息公开申请受理数", "件", *received),
        ("其中：网络申请", "件", *online),
        ("信函申请", "件", *letter),
        ("行政复议案件数", "件", 0, 1),
    ]


def test_a_provinces_table_is_added_as_a_file(made_up_form: Path) -> None:
    assert "made-up-v1" in {f.name for f in forms()}
    report = parse(_made_up_report(2015, _rows((120, 900), (3, 10), (1, 2))), name="made-up.txt")
    assert (report.version, report.table_form) == ("2008", "made-up-v1")
    assert report.value("P.requests.received.year") == 4 and report.value("P.requests.received.cum") == 12
    assert report.value("P.review.total.cum") == 1
    assert not report.errors


def test_a_form_rule_broken_by_printed_values_is_an_error(made_up_form: Path) -> None:
    rows = _rows((120, 900), (3, 10), (1, 2))
    rows[1] = ("政府信息公开申请受理数", "件", 5, 12)  # 5 ≠ 3 + 1
    report = parse(_made_up_report(2015, rows), name="broken.txt")
    assert [(i.code, i.rules) for i in report.errors] == [("balance-violation", ("A1",))]
    assert report.value("P.requests.received.year") == 5  # the agency's error, published as printed


def test_a_broken_form_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "bad.toml").write_text(
        'form = "bad"\ntitle = "x"\ncolumns = ["year"]\nrows = []\n'
        'rules = [{ id = "A1", total = "nope", parts = [] }]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KGBUILD_FORMS_2008", str(folder))
    with pytest.raises(Exception, match=r"bad.toml: rule A1 names rows the form lacks: nope"):
        forms()


def test_every_row_a_form_or_the_prose_gives_is_in_the_code_list() -> None:
    from kgbuild.v2008 import prose

    codes = {str(n) for n in rdflib.Graph().parse(CODES).objects(None, SKOS.notation)}
    rows = {r.key for f in forms() for r in f.rows}
    rows |= {key for key, _, _ in prose._FIGURES} | {k for keys, _ in prose._NOTHING for k in keys}
    assert rows <= codes
    assert {p.name for p in FOLDER.glob("*.toml")} == {
        "fujian-v1.toml",
        "fujian-v1b.toml",
        "fujian-v2.toml",
        "shanghai.toml",
    }


def test_money_rows_are_those_the_code_list_says_count_money() -> None:
    from kgbuild.statute import P_MONEY_ROWS

    g = rdflib.Graph().parse(CODES)
    kind = rdflib.URIRef("https://w3id.org/kgbuild/def#valueKind")
    money = rdflib.URIRef("https://w3id.org/kgbuild/code/value-kind/money")
    assert {str(g.value(c, SKOS.notation)) for c in g.subjects(kind, money)} == P_MONEY_ROWS


def _findings(*reports) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.message for f in checked_findings(*reports))


def test_the_shapes_find_what_the_rules_say(made_up_form: Path) -> None:
    ok = parse(_made_up_report(2014, _rows((100, 780), (3, 10), (1, 2))), name="2014.txt")
    assert _findings(ok) == []
    # 2015: A1 broken (5 ≠ 3 + 1); 历年累计 of proactive disclosure reset (W3); reviews' cum below the year (A3).
    rows = _rows((120, 120), (3, 13), (1, 3))
    rows[1] = ("政府信息公开申请受理数", "件", 5, 17)
    rows[4] = ("行政复议案件数", "件", 2, 1)
    broken = parse(_made_up_report(2015, rows), name="2015.txt")
    found = _findings(ok, broken)
    assert any(m.startswith("rule A1, column year: requests received = 5") for m in found)
    assert any(m.startswith("rule A3, row review.total") for m in found)
    assert any(m.startswith("rule W3, row proactive.total: 历年累计 = 120, but the 2014 report's 780") for m in found)
    assert not any("rule W3, row requests.received" in m for m in found)  # 12 + 5 = 17: the chain holds


def test_the_real_reports_conform_but_for_the_source_s_own_inventory_gap() -> None:
    reports = [parse(PRE2019 / n) for n in sorted(EXPECTED["reports"]) if n.endswith(".html") or "tax" in n]
    found = _findings(*reports)
    # County 2012: 2026 + 46 + 1854 = 3926, not the 3978 it prints (FORMAT-2008.md §4, W4).
    assert found == [
        "rule W4: information made or obtained = 3978, but proactive + on request + not disclosed = 3926;"
        " difference 52 (a warning)"
    ]


def _statutory(agency: str, year: int, version: str) -> bytes:
    """A balanced report of 2019 on: 5 new applications, 3 granted, 2 partly, 1 review upheld."""
    from kgbuild.statute import cell_keys

    cells: dict = dict.fromkeys(cell_keys(version, with_optional=False), 0)
    for row, n in (("new", 5), ("granted", 3), ("partial", 2), ("total", 5)):
        cells[f"T3.{row}.natural"] = cells[f"T3.{row}.total"] = n
    cells["T4.review.upheld"] = cells["T4.review.total"] = 1
    return markdown_tabs(agency, year, version, cells).encode()


def test_one_series_runs_from_2011_to_2021_across_the_reform(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("pingtan-county-2011.html", "pingtan-county-2012.html", "pingtan-county-2013.html"):
        (inputs / name).write_bytes((PRE2019 / name).read_bytes())
    (inputs / "pingtan-2019.txt").write_bytes(_statutory("平潭县人民政府", 2019, "2019"))
    (inputs / "pingtan-2021.txt").write_bytes(_statutory("平潭县人民政府", 2021, "2021"))
    result = CliRunner().invoke(cli, ["build", str(inputs), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    store = OxigraphStore(tmp_path / "out" / "store")
    results = store.select(query_text("series"), {"agency": "平潭县人民政府"})
    rows = {(r[1], r[2]): (r[3], r[4], r[5]) for r in results.rows}
    assert rows[(2012, "requests received")] == (21, "P.requests.received.year", "closeMatch")
    assert rows[(2013, "granted")] == (2, "P.answers.granted.year", "closeMatch")
    assert rows[(2013, "administrative reviews")] == (0, "P.review.total.year", "closeMatch")
    assert rows[(2019, "requests received")] == (5, "T3.new.total", "statutory")
    assert rows[(2021, "administrative reviews")] == (1, "T4.review.total", "statutory")
    assert sorted({year for year, _ in rows}) == [2011, 2012, 2013, 2019, 2021]
    assert len(rows) == 5 * 4  # four measures every year, each from one cell
    cells = {(r[0], r[1]): r[2] for r in store.select(query_text("cells")).rows}
    assert cells[("pingtan-county-2012.html", "P.requests.received.cum")] == 21


def test_a_2019_narrative_that_disagrees_with_its_table_is_a_warning() -> None:
    text = _statutory("夏县人民政府", 2021, "2021").decode()
    lines = text.splitlines()
    narrative = ["一、总体情况", "2021年，全年共收到政府信息公开申请17件。", "二、主动公开政府信息情况"]
    report = parse("\n".join(lines[:2] + narrative + lines[2:]).encode(), name="narrative.txt")
    assert report.value("T3.new.total") == 5  # the table's; the narrative never changes a cell
    [warning] = [i for i in report.issues if i.code == "prose-table-conflict"]
    assert warning.key == "T3.new.total" and "17" in warning.message and "收到政府信息公开申请17件" in warning.message


def test_a_reset_cumulative_series_is_a_cumulative_chain_warning(made_up_form: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "2014.txt").write_bytes(_made_up_report(2014, _rows((100, 780), (3, 10), (1, 2))))
    (inputs / "2015.txt").write_bytes(_made_up_report(2015, _rows((120, 120), (3, 13), (1, 3))))
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(inputs), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, ["validate", str(tmp_path / "out"), "--format", "json"], catch_exceptions=False)
    [chain] = [row for row in json.loads(result.stdout) if row["code"] == "cumulative-chain"]
    assert (chain["file"], chain["severity"], chain["key"]) == ("2015.txt", "warning", "P.proactive.total.cum")
    assert "the 2014 report's 780 plus this year's 120 is 900" in chain["message"]


# --- Property: any balanced Fujian v1 table, in any of its printed layouts, reads back ----------

V1 = next(f for f in forms() if f.name == "fujian-v1")


@st.composite
def fujian_v1_tables(draw: st.DrawFn) -> dict[str, tuple[int, int]]:
    """Every row of form fujian-v1 as (本年度, 历年累计), with A1, A2, A3 and W1 holding."""
    small = st.integers(0, 40)

    def pair() -> tuple[int, int]:
        year = draw(small)
        return year, year + draw(small)

    def total(*parts: tuple[int, int]) -> tuple[int, int]:
        return sum(p[0] for p in parts), sum(p[1] for p in parts)

    rows: dict[str, tuple[int, int]] = {}
    website, gazette = pair(), pair()
    extra = pair()
    rows["proactive.total"] = total(website, gazette, extra)
    rows["proactive.website"], rows["proactive.gazette"] = website, gazette
    channels = {k: pair() for k in ("in_person", "fax", "email", "online", "letter", "other")}
    rows["requests.received"] = total(*channels.values())
    rows.update({f"requests.channel.{k}": v for k, v in channels.items()})
    answers = {k: pair() for k in ("granted", "partial", "refused")}
    rows["answers.total"] = total(*answers.values())
    rows.update({f"answers.{k}": v for k, v in answers.items()})
    for key in ("review.total", "suit.total", "petition.total"):
        rows[key] = pair()
    return {r.key: rows[r.key] for r in V1.rows}


def _layout(rows: dict[str, tuple[int, int]], layout: str) -> tuple[bytes, str]:
    title = "平潭县人民政府2012年政府信息公开工作年度报告"
    labels = {r.key: r.labels[-1] for r in V1.rows}
    if layout == "html":
        cells = "".join(
            f"<tr><td>{labels[k]}</td><td>条</td><td>{y}</td><td>{c}</td></tr>" for k, (y, c) in rows.items()
        )
        head = "<tr><td>指标名称</td><td>计量单位</td><td>2012年度</td><td>历年累计</td></tr>"
        caption = "<p>附件1：政府信息公开情况统计表</p>"
        page = f"<html><body><h1>{title}</h1>{caption}<table>{head}{cells}</table></body></html>"
        return page.encode(), "report.html"
    separator = " " if layout == "spaced" else ""
    body = separator.join(f"{labels[k]}{separator}条{separator}{y}{separator}{c}" for k, (y, c) in rows.items())
    head = "附件1：政府信息公开情况统计表 指标名称 计量单位 2012年度 历年累计"
    text = f"标题: {title}\n==== 正文 ====\n一、概述 本年度工作有序开展。 {head} {body}"
    return text.encode(), "report.txt"


@settings(max_examples=40, deadline=None)
@given(rows=fujian_v1_tables(), layout=st.sampled_from(["html", "spaced", "flattened"]))
def test_any_balanced_table_reads_back(rows: dict[str, tuple[int, int]], layout: str) -> None:
    data, name = _layout(rows, layout)
    report = parse(data, name=name)
    assert (report.version, report.table_form) == ("2008", "fujian-v1")
    for key, (year, cum) in rows.items():
        got = (report.value(f"P.{key}.year"), report.value(f"P.{key}.cum"))
        if layout == "flattened":
            # A digit run is cut only where one cut fits: never a wrong value, at worst none.
            assert got in ((year, cum), (None, None)), key
        else:
            assert got == (year, cum), key
    assert not report.errors


ZONE_2017_ROWS = [
    ("主动公开文件数", "条", "<span>2</span>\n<span>122</span>", "<span>10</span><span>037</span>"),
    ("其中：1、<span>政府</span><span>网站公开</span>数", "条", "2122", "&nbsp;"),
    ("2、政府公报公开数", "条", "0", "0"),
    ("受理政府信息依申请公开总数", "条", "0", "1"),
    ("其中：1、当面申请数", "条", "0", "0"),
    ("2、网上申请数", "条", "0", "0"),
    ("3、信函、传真申请数", "条", "0", "1"),
    ("对申请的答复总数", "条", "0", "1"),
    ("其中：1、同意公开答复数", "条", "0", "1"),
    ("2、同意部分公开答复数", "条", "0", "0"),
    ("3、不予公开答复数", "条", "0", "0"),
    ("4、其他类型答复数", "条", "0", "0"),
    ("接受行政诉讼、举报数", "件", "0", "0"),
    ("行政复议数", "件", "0", "0"),
    ("行政诉讼数", "件", "0", "0"),
]


def test_a_word_table_joins_a_cells_runs_and_keeps_an_empty_cell_null() -> None:
    """As zone 2017 prints it (FORMAT-2008.md §2.1): no fee row, numbers split into runs, an empty cell."""
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in ZONE_2017_ROWS)
    head = (
        "<tr><td>指标名称</td><td><p>计量</p><p>单位</p></td>"
        "<td><span>201</span><span>7</span>年度</td><td>历年累计</td></tr>"
    )
    page = (
        "<html><body><p>平潭综合实验区2017年政府信息公开工作年度报告</p><p>六、政府信息公开情况统计表</p>"
        f"<table>{head}{rows}</table></body></html>"
    )
    report = parse(page.encode(), name="zone-2017.html")
    assert (report.version, report.year, report.table_form) == ("2008", 2017, "fujian-v2")
    assert (report.value("P.proactive.total.year"), report.value("P.proactive.total.cum")) == (2122, 10037)
    assert report.value("P.proactive.website.cum") is None  # printed empty: null, not 0
    assert "P.fees.charged_or_waived.year" not in report.cells  # 2017 drops the fee row
    assert [i.code for i in report.issues if i.key == "P.proactive.website.cum"] == ["missing-cell"]
    assert not report.errors


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("2016年我镇主动公开政府信息568条。", {"P.proactive.total.year": 568}),
        (
            "2016年共主动公开政府信息204条，其中通过政府网站公开信息163条，通过微信公众号发布信息23条，公开栏公开信息18条。",
            {
                "P.proactive.total.year": 204,
                "P.proactive.website.year": 163,
                "P.proactive.weixin.year": 23,
                "P.proactive.other_channel.year": 18,
            },
        ),
        ("没有因政府信息公开申请行政复议、提起行政诉讼的情况。", {"P.review.total.year": 0, "P.suit.total.year": 0}),
        ("全年未收取任何费用。", {"P.fees.charged.year": Decimal(0)}),
        ("我镇未发生被行政复议纠错的情况。", {}),  # no correction, which says nothing of the reviews
        (
            "我局没有从事政府信息公开工作的专职人员，兼职人员2名。",
            {"P.staff.fulltime.year": 0, "P.staff.parttime.year": 2},
        ),
    ],
)
def test_township_prose(sentence: str, values: dict) -> None:
    report = parse(_prose_report(sentence, 2016).encode(), name="township.txt")
    assert {k: c.value for k, c in report.cells.items()} == values
    assert set(report.prose) == set(values)


def test_a_2019_narrative_that_counts_carried_applications_in_is_not_a_conflict() -> None:
    text = _statutory("夏县人民政府", 2021, "2021").decode()
    lines = text.splitlines()
    narrative = ["一、总体情况", "2021年共收到政府信息公开申请8件（含上年结转3件）。", "二、主动公开政府信息情况"]
    report = parse("\n".join(lines[:2] + narrative + lines[2:]).encode(), name="narrative.txt")
    assert not [i for i in report.issues if i.code == "prose-table-conflict"]


def test_the_sum_rules_settle_digit_runs_that_rule_a3_leaves_open() -> None:
    """County 2012 flattened: 2121 (2 | 121 or 21 | 21) and 1818 (1 | 818 or 18 | 18) with 电子邮件 3 | 3:
    only 21 = 18 + 3 holds rule A1 in both columns. W1, a warning, decides nothing: the total stays open."""
    report = parse(PRE2019 / "pingtan-county-2012.txt")
    assert (report.value("P.requests.channel.in_person.year"), report.value("P.requests.channel.in_person.cum")) == (
        18,
        18,
    )
    notes = [i for i in report.issues if i.code == "digit-run-cut" and i.key == "P.requests.channel.in_person"]
    assert notes and notes[0].rules == ("A1",)
    assert report.value("P.proactive.total.year") is None


def test_a_code_outside_the_2008_code_lists_is_caught_by_both_engines() -> None:
    report = parse(PRE2019 / "pingtan-tax-2013.txt")
    quads = to_quads(report)
    observation = next(q.subject for q in quads if q.predicate.value.endswith("#pRow"))
    wrong = Quad(
        observation,
        NamedNode("https://w3id.org/kgbuild/def#pColumn"),
        NamedNode("https://w3id.org/kgbuild/code/t3-row/new"),
        quads[0].graph_name,
    )
    store = Store()
    store.extend(ontology_quads())
    store.extend([*quads, wrong])
    fast = {f.message for f in validate_store(store).findings}
    graph = to_graph(report)
    graph.add(
        (rdflib.URIRef(observation.value), rdflib.URIRef(wrong.predicate.value), rdflib.URIRef(wrong.object.value))
    )
    reference = {f.message for f in validate_graph(graph).findings}
    assert fast == reference
    assert any("is not a code of the 2008 form's p-column list" in m for m in fast)


def test_parse_prints_a_2008_report_as_a_person_reads_it() -> None:
    result = CliRunner().invoke(cli, ["parse", str(PRE2019 / "pingtan-tax-2013.txt")], catch_exceptions=False)
    assert "tables: version 2008" in result.output
    assert "P 政府信息公开情况统计 (no table: figures from prose)" in result.output
    assert "from prose: P.proactive.total.year" in result.output
    result = CliRunner().invoke(cli, ["parse", str(PRE2019 / "pingtan-county-2012.html"), "--json"])
    parsed = json.loads(result.stdout)
    assert (parsed["form"], parsed["input_form"], parsed["scope"]) == ("fujian-v1", "html", "aggregate")
