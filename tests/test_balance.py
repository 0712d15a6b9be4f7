"""Balance rules 1-5: checked on printed values, and what they fix in blanks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from common import FIXTURES, expected_cells
from forms import markdown_tabs

from kgbuild import parse
from kgbuild.balance import Infeasible, equations, infer

SHANGHAI = {
    k: Decimal(v) if isinstance(v, str) else v
    for k, v in json.loads((FIXTURES / "real" / "expected.json").read_text(encoding="utf-8"))["reports"][
        "shanghai-office-2019.html"
    ]["cells"].items()
}
HUACHUAN = expected_cells("003_c50bb1760576b204.txt")  # 2019, complete and balanced
XIA_OFFICE = {  # 2021, with the 其他处理 group row printed
    **{k: v for k, v in expected_cells("002_2d2c2c3c79ace67b.txt").items() if v is not None},
    **{f"T3.other.{c}": 0 for c in ("natural", "commercial", "research", "social", "legal", "other", "total")},
}


def _violations(cells: dict, version: str) -> set[tuple]:
    report = parse(markdown_tabs("夏县人民政府", 2020, version, cells).encode(), name="t.txt")
    return {(i.rules[0], i.location.row, i.location.column) for i in report.issues if i.code == "balance-violation"}


@pytest.mark.parametrize(("cells", "version"), [(HUACHUAN, "2019"), (XIA_OFFICE, "2021"), (SHANGHAI, "2019")])
def test_balanced_reports_break_no_rule(cells: dict, version: str) -> None:
    assert _violations(cells, version) == set()


@pytest.mark.parametrize(
    ("cells", "version", "key", "broken"),
    [
        (HUACHUAN, "2019", "T3.new.natural", {(1, None, "natural"), (2, "new", None)}),
        (HUACHUAN, "2019", "T3.granted.research", {(3, None, "research"), (2, "granted", None)}),
        (HUACHUAN, "2019", "T3.total.total", {(1, None, "total"), (3, None, "total"), (2, "total", None)}),
        (
            XIA_OFFICE,
            "2021",
            "T3.other.misc.legal",
            {(3, None, "legal"), (4, "other", "legal"), (2, "other.misc", None)},
        ),
        (XIA_OFFICE, "2021", "T3.other.social", {(4, "other", "social"), (2, "other", None)}),
        (HUACHUAN, "2019", "T4.review.pending", {(5, "review", None)}),
        (HUACHUAN, "2019", "T4.suit_after_review.total", {(5, "suit_after_review", None)}),
    ],
)
def test_one_changed_number_breaks_the_rules_it_enters(cells: dict, version: str, key: str, broken: set) -> None:
    changed = {**cells, key: cells[key] + 1}
    report = parse(markdown_tabs("夏县人民政府", 2020, version, changed).encode(), name="t.txt")
    assert report.value(key) == cells[key] + 1  # published as printed, not repaired
    assert _violations(changed, version) == broken
    assert report.inferred == []


def test_violation_message_names_both_sides_and_the_difference() -> None:
    report = parse(FIXTURES / "bad" / "unbalanced.txt")
    messages = [i.message for i in report.issues if i.code == "balance-violation"]
    assert messages[0] == (
        "rule 1 (column natural): new.natural + carried.natural = 3 + 0 = 3, "
        "but total.natural + forward.natural = 0 + 0 = 0; difference 3"
    )
    assert len(messages) == 2 and report.value("T3.new.natural") == 3


def test_blank_columns_fixed_by_the_grand_totals() -> None:
    """FORMAT.md's example: 805 = 767 + 35 + 2 + 1 leaves 科研机构 and 社会公益组织 zero."""
    blanked = {k: (None if k.endswith((".research", ".social")) else v) for k, v in SHANGHAI.items()}
    report = parse(markdown_tabs("上海市人民政府办公厅", 2019, "2019", blanked).encode(), name="t.txt")
    blanks = sorted(k for k, v in blanked.items() if v is None)
    assert blanks and sorted(report.inferred) == blanks
    assert all(report.value(k) == 0 for k in blanks)
    assert report.cells["T3.total.research"].inferred_by == (2,)
    assert [i for i in report.issues if i.severity.value != "info"] == []


def test_a_blank_row_total_is_its_row_sum() -> None:
    blanked = {**HUACHUAN, "T3.granted.total": None}
    report = parse(markdown_tabs("桦川县人民政府", 2020, "2019", blanked).encode(), name="t.txt")
    assert report.value("T3.granted.total") == 8
    assert report.cells["T3.granted.total"].text == "—"  # the source's own blank mark is kept


def test_two_blanks_that_can_trade_stay_null() -> None:
    """granted and partial of 自然人 may be 8+0 or 7+1 …: more than one solution, no value."""
    keys = ["T3.granted.natural", "T3.partial.natural", "T3.granted.total", "T3.partial.total"]
    values = {**HUACHUAN, **dict.fromkeys(keys)}
    assert {k: v for k, v in infer(equations("2019", values), values).items() if k in keys} == {}
    report = parse(markdown_tabs("桦川县人民政府", 2020, "2019", values).encode(), name="t.txt")
    assert [report.value(k) for k in keys] == [None] * 4
    assert sorted(i.key for i in report.issues if i.code == "missing-cell") == sorted(keys)


def test_no_non_negative_solution_infers_nothing() -> None:
    # 9 applications came in, but the outcomes printed add up to more than can be.
    blanks = dict.fromkeys(["T3.total.natural", "T3.total.total", "T3.forward.natural"])
    values = {**HUACHUAN, **blanks, "T3.granted.natural": 12, "T3.granted.total": 12}
    with pytest.raises(Infeasible):
        infer(equations("2019", values), values)
    report = parse(markdown_tabs("桦川县人民政府", 2020, "2019", values).encode(), name="t.txt")
    assert report.inferred == []
    assert [i.code for i in report.issues if i.code == "inference-conflict"] == ["inference-conflict"]
