"""Real published reports, whatever copied them, and one test per defect class.

``fixtures/real/`` holds real reports with hand-checked values (see its
README): site pages, a site archive's flattened text, a PDF-to-Markdown
conversion. The made-up variants below each take one defect of those
copies on its own, on a report whose true cells are known.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from common import FIXTURES
from forms import flattened, markdown_pipes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import balanced_cells

from kgbuild import parse
from kgbuild.errors import Severity
from kgbuild.model import Report

REAL = FIXTURES / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))["reports"]


def _want(value: object) -> object:
    return Decimal(value) if isinstance(value, str) else value


def _codes(report: Report, severity: Severity | None = None) -> list[str]:
    return [i.code for i in report.issues if severity is None or i.severity is severity]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_every_determined_cell_and_no_wrong_one(name: str) -> None:
    exp = EXPECTED[name]
    report = parse(REAL / name)
    assert (report.year, report.version, report.published) == (exp["year"], exp["version"], exp["published"])
    assert report.agency == exp["agency"]
    undetermined = set(exp["undetermined"])
    for key, want in exp["cells"].items():
        have = report.value(key)
        if have is None:
            assert want is None or key in undetermined, f"{key}: null, want {want}"
        else:
            assert want is not None and have == _want(want), f"{key}: {have}, want {want}"


# -- Markdown pipe tables (shanghai-office-2025.md) ----------------------------


def test_markdown_labels_drifted_from_their_numbers_are_placed_by_order() -> None:
    report = parse(REAL / "shanghai-office-2025.md")
    placed = {i.key for i in report.issues if i.code == "placed-by-order"}
    # 部分公开's label is on the lines above its numbers; 5.要求行政机关确认… drifted 12
    # lines up; 逾期不补正's numbers sit under a fragment (行政机关不再处理其政府信息公)
    # that no_fee's label shares. Between 4.无正当理由大量反复申请 and 缴纳费用 two
    # rows are printed for confirm, the optional 其他处理 group and no_correction:
    # only confirm + no_correction balances (the group would break rule 4).
    assert placed == {"T3.partial", "T3.rejected.confirm", "T3.other.no_correction"}
    assert report.cells["T3.partial.total"].placed == "order"
    assert report.value("T3.partial.natural") == 2
    assert report.value("T3.other.no_correction.total") == 43
    assert "T3.other.total" not in report.cells
    assert report.value("T3.other.no_fee.natural") == 0  # found by its fragment 缴纳费用
    # The T2 rows print two numbers for three columns: none asserted, as before.
    assert report.value("T2.rules.issued") is None
    assert {i.code for i in report.issues if i.key == "T2.rules"} == {"short-row"}


def test_markdown_merged_label_cell_gives_no_eighth_number() -> None:
    report = parse(REAL / "shanghai-office-2025.md")
    # | 1.属于国家秘密 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |  |: the empty 9th cell is layout.
    assert report.value("T3.denied.secret.total") == 4
    assert "long-row" not in _codes(report)


def test_markdown_title_over_two_lines_with_a_spaced_year() -> None:
    report = parse(REAL / "shanghai-office-2025.md")
    assert (report.agency, report.year) == ("上海市人民政府办公厅", 2025)


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shanghai_md_lines() -> list[str]:
    return (REAL / "shanghai-office-2025.md").read_text(encoding="utf-8").splitlines()


def test_markdown_heading_repeating_a_row_label_is_no_row() -> None:
    lines = _shanghai_md_lines()
    at = lines.index("| 3.补正后申请内容仍不明确 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |")
    # A converter's heading that repeats the next row's label, with no numbers.
    lines.insert(at, "### （四）无法提供 3.补正后申请内容仍不明确")
    report = parse("\n".join(lines).encode(), name="heading.md")
    assert report.value("T3.unavailable.unclear.natural") == 3
    assert not [i for i in report.issues if i.key == "T3.unavailable.unclear"]


def test_markdown_label_three_lines_from_its_numbers() -> None:
    lines = _shanghai_md_lines()
    at = lines.index("| 2.重复申请 | 16 | 0 | 0 | 0 | 0 | 0 | 16 |  |")
    lines[at : at + 1] = ["2.重复", "申", "请", "| 16 | 0 | 0 | 0 | 0 | 0 | 16 |"]
    report = parse("\n".join(lines).encode(), name="drift.md")
    assert report.value("T3.rejected.repeat.natural") == 16
    assert report.cells["T3.rejected.repeat.total"].placed == "order"


def test_unlabelled_numbers_two_rows_could_take_stay_null() -> None:
    lines = _shanghai_md_lines()
    # Remove the labels of two neighbouring rows whose numbers are the same:
    # the order still fixes them (one free row each) ...
    for label in ("6.属于四类过程性信息", "8.属于行政查询事项"):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"| {label} "))
        lines[at] = lines[at].replace(f"| {label} ", "| ", 1)
    report = parse("\n".join(lines).encode(), name="two.md")
    assert report.value("T3.denied.process.natural") == 1
    assert report.value("T3.denied.query.natural") == 5
    # ... but two unlabelled rows in a gap of three free rows have three places.
    lines = _shanghai_md_lines()
    for label in ("6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"| {label} "))
        lines[at] = "" if label.startswith("7.") else lines[at].replace(f"| {label} ", "| ", 1)
    report = parse("\n".join(lines).encode(), name="three.md")
    for row in ("process", "enforcement", "query"):
        assert report.value(f"T3.denied.{row}.natural") is None
    assert "unplaced-row" in _codes(report, Severity.ERROR)


def test_unlabelled_numbers_are_not_placed_where_the_report_does_not_balance() -> None:
    lines = _shanghai_md_lines()
    at = lines.index("| 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    lines[at] = "| 3 | 0 | 0 | 0 | 0 | 0 | 3 |"  # now 总计 no longer adds up
    report = parse("\n".join(lines).encode(), name="unbalanced.md")
    assert report.value("T3.partial.natural") is None
    assert "unplaced-row" in _codes(report, Severity.ERROR)


# -- Flattened site text (pingtan-2023.txt) ----------------------------------


def test_flattened_rows_cut_only_where_one_cut_fits() -> None:
    report = parse(REAL / "pingtan-2023.txt")
    html = parse(REAL / "pingtan-2023.html")
    # 801000081 for seven columns: 80|1|0|0|0|0|81, the only cut without leading zeros that rule 2 admits.
    assert [report.value(f"T3.new.{c}") for c in ("natural", "commercial", "total")] == [80, 1, 81]
    # 220000022 is 22|0|…|22 or 2|20|…|22 by its own row; rule 3 chooses.
    granted = report.cells["T3.granted.total"]
    assert (granted.value, granted.placed) == (22, "cut")
    assert set(granted.inferred_by) >= {2, 3}
    assert "T3.granted.total" in report.inferred
    # 77132470 for three columns: 21 cuts fit, and T2 has no rule to choose.
    assert report.value("T2.normative.issued") is None
    (run,) = [i for i in report.issues if i.code == "digit-run"]
    assert run.key == "T2.normative" and "8 digits" in run.message and "21 cuts" in run.message
    # Every other cell equals the page's.
    for key, cell in report.cells.items():
        if not key.startswith("T2.normative"):
            assert cell.value == html.value(key), key


def test_flattened_header_block_gives_agency_year_and_date() -> None:
    report = parse(REAL / "pingtan-2023.txt")
    assert (report.agency, report.year, report.published) == ("平潭综合实验区", 2023, "2024-03-08")
    assert report.agency == parse(REAL / "pingtan-2023.html").agency  # one agency, not two


def test_digits_glued_to_a_label_are_a_digit_run_not_no_numbers() -> None:
    text = (REAL / "pingtan-2023.txt").read_text(encoding="utf-8")
    report = parse(text.replace("申请数量801000081", "申请数量8010081").encode(), name="glued.txt")
    (issue,) = [i for i in report.issues if i.key == "T3.new"]
    assert issue.code == "digit-run"
    assert "7 digits" in issue.message and "0 numbers" not in issue.message


def test_digit_run_with_two_cuts_that_balance_stays_null() -> None:
    # 予以公开 220000022 is 2|20|0|0|0|0|22 or 22|0|0|0|0|0|22; make 部分公开 222000024
    # (2|22|…|24 or 22|2|…|24) and the column sums agree either way: 2+22 = 22+2,
    # 20+2 = 0+22. The totals move to match, so the report still balances.
    text = (REAL / "pingtan-2023.txt").read_text(encoding="utf-8")
    text = text.replace("情形）191000020", "情形）222000024")
    text = text.replace("申请数量801000081", "申请数量6322000085").replace(
        "（七）总计801000081", "（七）总计6322000085"
    )
    report = parse(text.encode(), name="two-cuts.txt")
    for row in ("granted", "partial"):
        assert report.value(f"T3.{row}.natural") is None
        (issue,) = [i for i in report.issues if i.key == f"T3.{row}"]
        assert issue.code == "digit-run" and "balance rules" in issue.message
    assert report.value("T3.denied.query.natural") == 2  # the rows with one cut stay read


@pytest.mark.parametrize("version", ["2019", "2021"])
@SETTINGS
@given(data=st.data())
def test_flattened_text_never_gives_a_wrong_number(version: str, data: st.DataObject) -> None:
    """What a cut asserts is the truth: only cuts that every fitting choice shares are kept."""
    cells = data.draw(balanced_cells(version))
    year = 2020 if version == "2019" else 2023
    report = parse(flattened("桦川县人民政府", year, version, cells).encode(), name="flat.txt")
    assert (report.agency, report.year, report.version) == ("桦川县人民政府", year, version)
    for key, cell in report.cells.items():
        assert cell.value is None or cell.value == cells[key], key
    # Every row without a choice to make is read: a run of exactly as many digits as cells.
    for key, cell in report.cells.items():
        row = key.rsplit(".", 1)[0]
        if key.startswith("T3.") and all(len(str(cells[k])) == 1 for k in cells if k.rsplit(".", 1)[0] == row):
            assert cell.value == cells[key], key


# -- No false errors ---------------------------------------------------------


def test_a_complete_balanced_page_gets_no_error() -> None:
    assert _codes(parse(REAL / "pingtan-2023.html"), Severity.ERROR) == []


def _pingtan_md(cells: dict[str, object]) -> str:
    return markdown_pipes("平潭综合实验区", 2023, "2021", cells)


def _pingtan_cells() -> dict[str, object]:
    return {k: _want(v) for k, v in EXPECTED["pingtan-2023.html"]["cells"].items()}


def test_other_printed_as_one_row_is_a_form_deviation_warning() -> None:
    cells = _pingtan_cells()
    text = _pingtan_md(cells)
    sub_rows = [line for line in text.splitlines() if "逾期" in line or line.startswith("| 3.其他 ")]
    assert len(sub_rows) == 3
    group = "| （六）其他处理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |"
    text = text.replace(sub_rows[0], group).replace(sub_rows[1] + "\n", "").replace(sub_rows[2] + "\n", "")
    report = parse(text.encode(), name="other-group.md")
    assert _codes(report, Severity.ERROR) == []
    assert "form-deviation" in _codes(report, Severity.WARNING)
    assert "missing-cell" not in _codes(report)  # the one warning says why its sub-rows are null
    assert report.value("T3.other.total") == 2
    assert report.value("T3.total.total") == 81


def test_misprinted_label_found_by_its_position_is_a_warning() -> None:
    text = _pingtan_md(_pingtan_cells()).replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    report = parse(text.encode(), name="misprint.md")
    assert _codes(report, Severity.ERROR) == []
    (placed,) = [i for i in report.issues if i.code == "placed-by-order"]
    assert placed.key == "T3.denied.law" and "2.其他法律行政止公开" in placed.message
    assert report.value("T3.denied.law.total") == 0


def test_a_missing_table_is_one_issue() -> None:
    text = _pingtan_md(_pingtan_cells())
    text = text[: text.index("四、政府信息公开行政复议")] + "五、存在的主要问题及改进情况\n"
    report = parse(text.encode(), name="no-t4.md")
    assert [i.code for i in report.issues if i.key and i.key.startswith("T4")] == ["missing-table"]


def test_placed_values_carry_their_placement_in_the_graph() -> None:
    from rdflib import Graph, Namespace, URIRef

    from kgbuild.rdf import Iris, to_graph

    ogi = Namespace("https://w3id.org/kgbuild/def#")
    shanghai = parse(REAL / "shanghai-office-2025.md")
    graph: Graph = to_graph(shanghai)
    key_of = {URIRef(Iris().observation(shanghai, k)): k for k in shanghai.cells}
    placed = {(key_of[o], str(p).rsplit("#", 1)[1]) for o, p in graph.subject_objects(ogi.placedBy)}
    assert ("T3.partial.natural", "statutoryOrder") in placed
    assert all(how == "statutoryOrder" for _, how in placed) and len(placed) == 21
    pingtan = parse(REAL / "pingtan-2023.txt")
    o = URIRef(Iris().observation(pingtan, "T3.granted.total"))
    cut = to_graph(pingtan)
    assert str(cut.value(o, ogi.placedBy)).endswith("digitRunCut")
    assert {str(r).rsplit("rule", 1)[1] for r in cut.objects(o, ogi.inferredBy)} >= {"2", "3"}


def _mineru(page: str) -> str:
    """The page as MinerU writes a PDF: Markdown headings and prose, each table one line of HTML."""
    import re

    import lxml.html

    root = lxml.html.document_fromstring(page)
    words = ("第二十条", "本年新收", "行政复议")
    tables = [t for t in root.xpath("//table[not(.//table)]") if any(w in t.text_content() for w in words)]
    out = [
        "# 平潭综合实验区2023年度政府信息公开工作年度报告",
        "",
        "## 一、总体情况",
        "",
        "全年主动公开政府信息13561条。",
        "",
    ]
    for heading, table in zip(
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"],
        tables,
        strict=True,
    ):
        for el in table.iter():
            for name in [a for a in el.attrib if a not in ("rowspan", "colspan")]:
                del el.attrib[name]
        html = re.sub(r"\s*\n\s*", "", lxml.html.tostring(table, encoding="unicode"))
        out += [f"## {heading}", "", f"<html><body>{html}</body></html>", ""]
    return "\n".join([*out, "## 五、存在的主要问题及改进情况", "", "存在的问题主要有以下几个方面。"])


def test_markdown_with_html_tables_reads_as_the_page() -> None:
    page = parse(REAL / "pingtan-2023.html")
    report = parse(_mineru((REAL / "pingtan-2023.html").read_text(encoding="utf-8")).encode(), name="mineru.md")
    assert (report.form, report.agency, report.year) == ("text", "平潭综合实验区", 2023)
    assert {k: c.value for k, c in report.cells.items()} == {k: c.value for k, c in page.cells.items()}
    assert _codes(report, Severity.ERROR) == []


def test_a_merged_value_repeated_into_each_column_it_spans() -> None:
    # docling writes a cell spanning three columns three times.
    text = _pingtan_md(_pingtan_cells()).replace("| 行政许可 | 2629 |", "| 行政许可 | 2629 | 2629 | 2629 |")
    report = parse(text.encode(), name="docling.md")
    assert report.value("T2.licensing.decisions") == 2629
    assert _codes(report, Severity.ERROR) == []
    # Different numbers in a one-column row are still no value.
    text = text.replace("| 行政许可 | 2629 | 2629 | 2629 |", "| 行政许可 | 2629 | 2630 |")
    assert parse(text.encode(), name="docling.md").value("T2.licensing.decisions") is None


def test_numbers_outside_the_form_are_a_warning_not_an_error() -> None:
    # A subtotal row under no statutory label, where every statutory row is printed.
    text = _pingtan_md(_pingtan_cells()).replace("| 行政强制 | 54 |", "| 行政强制 | 54 |\n| 小计 | 4013 |")
    report = parse(text.encode(), name="subtotal.md")
    assert _codes(report, Severity.ERROR) == []
    (issue,) = [i for i in report.issues if i.code == "unplaced-row"]
    assert issue.severity is Severity.WARNING and "小计" in issue.message
    assert report.value("T2.coercion.decisions") == 54


def test_a_t4_digit_run_with_several_cuts_stays_null() -> None:
    text = (REAL / "pingtan-2023.txt").read_text(encoding="utf-8")
    # review 11|1|0|0|12 printed as 11100 12: also 1|11|0|0|12 and 1|1|10|0|12.
    run = "11100124001510102"
    report = parse(text.replace("总计110024001510102", f"总计{run}").encode(), name="t4.txt")
    (issue,) = [i for i in report.issues if i.code == "digit-run" and i.key == "T4"]
    assert f"{len(run)} digits" in issue.message and "3 cuts fit" in issue.message
    assert all(report.value(f"T4.review.{o}") is None for o in ("upheld", "total"))
