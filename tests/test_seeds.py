"""Every cell of the five seed reports against its hand-checked value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from common import EXPECTED, SEEDS

from kgbuild import parse
from kgbuild.statute import cell_keys


def _same(have: object, want: object) -> bool:
    if isinstance(want, str):  # money, a decimal in 万元
        return isinstance(have, Decimal) and have == Decimal(want)
    return have == want and type(have) is type(want)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_cells(name: str) -> None:
    expected = EXPECTED[name]
    report = parse(SEEDS / name)
    undetermined = set(expected["undetermined"])
    wrong = []
    for key, want in expected["cells"].items():
        have = report.value(key)
        if have is None and (want is None or key in undetermined):
            continue
        if want is None or not _same(have, want):
            wrong.append((key, have, want))
    assert wrong == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_metadata(name: str) -> None:
    expected = EXPECTED[name]
    report = parse(SEEDS / name)
    assert (report.year, report.version, report.published) == (
        expected["year"],
        expected["version"],
        expected["published"],
    )
    assert report.agency is not None and expected["agency"][:2] in report.agency


@pytest.mark.parametrize(
    ("name", "agency"),
    [
        ("000_a625d82b2993cd46.txt", "夏县人民政府"),  # title says 夏县, the text 夏县人民政府
        ("001_41abe211afe475ae.txt", "阳高县人民政府"),  # site navigation before the title
        ("002_2d2c2c3c79ace67b.txt", "夏县人民政府办公室"),  # agency on the line above the title
        ("004_e16fd8ae6e19c773.txt", "海东市化隆县"),  # as the report names it; 化隆回族自治县 is issue 7's
    ],
)
def test_agency_as_the_report_names_it(name: str, agency: str) -> None:
    assert parse(SEEDS / name).agency == agency


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_key_of_the_version(name: str) -> None:
    report = parse(SEEDS / name)
    assert set(report.cells) == set(cell_keys(report.version, with_optional=False)) | (
        {k for k in cell_keys(report.version) if k.startswith("T3.other.") and k.count(".") == 2} & set(report.cells)
    )
    assert set(EXPECTED[name]["cells"]) <= set(report.cells)


def test_short_rows_assert_nothing() -> None:
    """002: 行政规范性文件 shows two numbers for three columns."""
    report = parse(SEEDS / "002_2d2c2c3c79ace67b.txt")
    assert [report.value(f"T2.normative.{c}") for c in ("issued", "repealed", "in_force")] == [None] * 3
    short = [
        (i.location.table, i.location.row, i.code, i.location.line) for i in report.issues if i.code == "short-row"
    ]
    assert short == [("T2", "normative", "short-row", 34)]


def test_inferred_cells_name_their_rules() -> None:
    """003: rows (五)-(七) are short; rules 1-3 and non-negativity fix them all."""
    report = parse(SEEDS / "003_c50bb1760576b204.txt")
    assert "T3.total.natural" in report.inferred
    cell = report.cells["T3.total.natural"]
    assert (cell.value, cell.text) == (9, None)
    assert set(cell.inferred_by) <= {1, 2, 3} and cell.inferred_by
    issue = next(i for i in report.issues if i.code == "inferred-cell" and i.key == "T3.total.natural")
    assert issue.rules == cell.inferred_by
    # A printed cell is never marked inferred.
    assert not report.cells["T3.new.natural"].inferred


def test_money_keeps_its_text() -> None:
    report = parse(SEEDS / "003_c50bb1760576b204.txt")
    cell = report.cells["T2.procurement.amount"]
    assert (cell.value, cell.text) == (Decimal(18000), "1.8 亿元")


def test_undetermined_by_anything_stays_null() -> None:
    """001 lost every empty T3 cell: nothing in T3 can be placed, so nothing is."""
    report = parse(SEEDS / "001_41abe211afe475ae.txt")
    t3 = {k: c.value for k, c in report.cells.items() if k.startswith("T3.")}
    assert set(t3.values()) == {None}
    assert report.inferred == []


def test_narrative_sections() -> None:
    report = parse(SEEDS / "000_a625d82b2993cd46.txt")
    assert [s.heading for s in report.sections] == [
        "一、总体情况",
        "五、咨询处理情况",
        "六、政府信息公开支出和收费情况",
        "七、存在的主要问题和改进情况",
        "八、其他",
    ]
    assert report.sections[-1].text == "无"
    assert (
        report.sections[2].text == "2020年用于政府信息公开的各项维护费用共计9万元。没有发生依申请公开政府信息收费情况。"
    )
