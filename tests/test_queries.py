"""Every query in queries/, with its answer on the bundled reports (embedded store)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kgbuild.resources import query_names, query_text
from kgbuild.store import OxigraphStore, Results


@pytest.fixture(scope="module")
def store(query_build: Path) -> OxigraphStore:
    return OxigraphStore(query_build / "store")


def ask(store: OxigraphStore, name: str, **params: str) -> Results:
    return store.select(query_text(name), params)


def rows(results: Results, *columns: str) -> list[tuple]:
    index = [results.variables.index(c) for c in columns]
    return [tuple(r[i] for i in index) for r in results.rows]


def test_every_query_is_documented() -> None:
    for name in query_names():
        first = query_text(name).splitlines()[0]
        assert first.startswith("# ") and len(first) > 30, name


def test_reports(store: OxigraphStore) -> None:
    assert rows(ask(store, "reports"), "agency", "year", "form", "file") == [
        ("上海市人民政府办公厅", 2019, "2019", "shanghai-office-2019.html"),
        ("化隆回族自治县人民政府", 2020, "2019", "unbalanced.txt"),  # named 海东市化隆县 in the report
        ("夏县人民政府", 2020, "2019", "xia-2020.txt"),
        ("夏县人民政府", 2021, "2021", "xia-2021.txt"),
        ("夏县人民政府办公室", 2024, "2021", "xia-office-2024.txt"),
        ("桦川县人民政府", 2020, "2019", "huachuan-2020.txt"),
    ]


def test_cells(store: OxigraphStore) -> None:
    cells = {(f, k): v for f, k, v in rows(ask(store, "cells"), "file", "key", "value")}
    assert Decimal(cells[("huachuan-2020.txt", "T2.procurement.amount")]) == 18000  # 1.8 亿元, in 万元
    assert cells[("shanghai-office-2019.html", "T3.total.total")] == 805
    assert ("xia-office-2024.txt", "T2.normative.issued") not in cells  # a short row asserts nothing


def test_applications(store: OxigraphStore) -> None:
    assert rows(ask(store, "applications", agency="上海市人民政府办公厅"), "year", "new", "carried", "answered",
                "forward") == [(2019, 859, 18, 805, 72)]  # fmt: skip


def test_outcome_rates(store: OxigraphStore) -> None:
    (row,) = rows(ask(store, "outcome-rates", agency="上海市人民政府办公厅"), "granted", "denied", "refusalRate")
    assert row[:2] == (272, 35)
    assert round(Decimal(row[2]), 12) == round(Decimal(35) / Decimal(805), 12)


def test_refusal_reasons(store: OxigraphStore) -> None:
    reasons = dict(rows(ask(store, "refusal-reasons"), "reason", "applications"))
    assert reasons["denied.secret"] == 14 and reasons["denied.query"] == 12 and len(reasons) == 8


def test_review_litigation(store: OxigraphStore) -> None:
    result = ask(store, "review-litigation", agency="化隆回族自治县人民政府")
    assert rows(result, "group", "cases", "corrected") == [
        ("review", 3, 0),
        ("suit_after_review", 1, 0),
        ("suit_direct", 3, 0),
    ]


def test_violations(store: OxigraphStore) -> None:
    found = rows(ask(store, "violations"), "file", "message")
    assert [f for f, _ in found] == ["unbalanced.txt", "unbalanced.txt", "xia-2021.txt", "xia-2021.txt"]
    assert found[2][1].startswith("rule 6, column natural: carried over = 1")


def test_carry_over(store: OxigraphStore) -> None:
    mismatches = [r for r in rows(ask(store, "carry-over"), "agency", "year", "column", "match") if r[3] is False]
    assert mismatches == [("夏县人民政府", 2020, "natural", False), ("夏县人民政府", 2020, "total", False)]


def test_new_applications_change(store: OxigraphStore) -> None:
    assert rows(ask(store, "new-applications-change"), "agency", "year", "change") == [("夏县人民政府", 2021, 2)]


def test_missing_cells(store: OxigraphStore) -> None:
    missing = rows(ask(store, "missing-cells"), "file", "key", "issue")
    assert ("xia-office-2024.txt", "T2.normative.issued", "short-row") in missing
    assert ("shanghai-office-2019.html", "T4.suit_after_review.total", "missing-cell") in missing


def test_inferred_cells(store: OxigraphStore) -> None:
    inferred: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for f, k, v, r in rows(ask(store, "inferred-cells"), "file", "key", "value", "rule"):
        inferred.setdefault((f, k), []).append((v, r))
    assert inferred[("shanghai-office-2019.html", "T3.granted.total")] == [(272, 2)]
    assert any(len(by) > 1 for by in inferred.values())  # a cell two rules fixed has a row for each


def test_proactive_disclosure(store: OxigraphStore) -> None:
    result = ask(store, "proactive-disclosure", agency="夏县人民政府")
    assert rows(result, "year", "licensing", "penalty", "normative") == [(2020, 2917, 438, 6), (2021, 0, 0, 2)]


def test_totals_by_province(store: OxigraphStore) -> None:
    assert rows(ask(store, "totals-by-province"), "province", "code", "year", "applications", "reports") == [
        ("山西省", "140000", 2020, 0, 1),
        ("山西省", "140000", 2021, 2, 1),
        ("山西省", "140000", 2024, 2, 1),
        ("黑龙江省", "230000", 2020, 9, 1),
        ("上海市", "310000", 2019, 859, 1),
        ("青海省", "630000", 2020, 52, 1),
    ]
