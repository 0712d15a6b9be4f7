"""Property tests: balanced tables written in every text form parse back exactly."""

from __future__ import annotations

import contextlib

import pytest
from forms import FORMS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import balanced_cells

from kgbuild import KgbuildError, parse

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("version", ["2019", "2021"])
@SETTINGS
@given(data=st.data())
def test_round_trip(form: str, version: str, data: st.DataObject) -> None:
    cells = data.draw(balanced_cells(version))
    year = 2020 if version == "2019" else 2023
    text = FORMS[form]("桦川县人民政府", year, version, cells)
    report = parse(text.encode("utf-8"), name=f"{form}.txt")
    assert (report.agency, report.year, report.version) == ("桦川县人民政府", year, version)
    assert {k: c.value for k, c in report.cells.items()} == cells
    assert [str(i) for i in report.issues] == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_or_says_it_is_no_report(text: str) -> None:
    try:
        report = parse(text.encode("utf-8"), name="random.txt")
    except KgbuildError:
        return
    assert report.version in ("2019", "2021")


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_parse_or_raise_our_error(data: bytes) -> None:
    with contextlib.suppress(KgbuildError):
        parse(data, name="random.bin")


@SETTINGS
@given(data=st.data(), cut=st.integers(min_value=0, max_value=10**6))
def test_truncated_reports_never_raise(data: st.DataObject, cut: int) -> None:
    """A report cut short (a download that stopped) keeps what its whole lines show."""
    cells = data.draw(balanced_cells("2019"))
    lines = FORMS["markdown-tabs"]("夏县人民政府", 2020, "2019", cells).splitlines()
    try:
        report = parse("\n".join(lines[: cut % (len(lines) + 1)]).encode("utf-8"), name="cut.txt")
    except KgbuildError:
        return
    # Whatever survived the cut is either right or null: never another number.
    for key, cell in report.cells.items():
        assert cell.value is None or cell.value == cells[key], key
