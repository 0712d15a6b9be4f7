"""Hypothesis strategies: whole reports whose tables balance."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from kgbuild.balance import outcome_rows
from kgbuild.statute import APPLICANTS, T2_ROWS, T4_OUTCOMES, T4_ROWS, Kind

counts = st.integers(min_value=0, max_value=40)
money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def balanced_cells(draw: st.DrawFn, version: str, *, with_other_group: bool | None = None) -> dict[str, object]:
    """Every cell of a version's tables, drawn so that rules 1-5 hold."""
    cells: dict[str, object] = {}
    for row in T2_ROWS[version]:
        for column in row.columns:
            key = row.cell_key(column.key)
            if column.kind is Kind.MONEY:
                cells[key] = draw(money).normalize() if draw(st.booleans()) else Decimal(0)
                cells[key] = Decimal(format(cells[key], "f"))
            elif column.kind is Kind.CHANGE:
                cells[key] = draw(st.integers(min_value=-500, max_value=500))
            else:
                cells[key] = draw(st.integers(min_value=0, max_value=100000))
    sparse = draw(st.booleans())  # most real tables are mostly zeros
    detail = st.one_of(st.just(0), counts) if sparse else counts
    rows = outcome_rows(version)
    for r in rows:
        for a in APPLICANTS:
            cells[f"T3.{r}.{a}"] = draw(detail)
    for a in APPLICANTS:
        total = sum(cells[f"T3.{r}.{a}"] for r in rows)  # type: ignore[misc]
        forward = draw(detail)
        carried = draw(st.integers(min_value=0, max_value=total + forward))
        cells[f"T3.total.{a}"] = total
        cells[f"T3.forward.{a}"] = forward
        cells[f"T3.carried.{a}"] = carried
        cells[f"T3.new.{a}"] = total + forward - carried
    if version == "2021":
        group = draw(st.booleans()) if with_other_group is None else with_other_group
        if group:
            for a in APPLICANTS:
                cells[f"T3.other.{a}"] = sum(cells[f"T3.other.{k}.{a}"] for k in ("no_correction", "no_fee", "misc"))  # type: ignore[misc]
    for key in {k.rsplit(".", 1)[0] for k in list(cells) if k.startswith("T3.")}:
        cells[f"{key}.total"] = sum(cells[f"{key}.{a}"] for a in APPLICANTS)  # type: ignore[misc]
    for g in T4_ROWS:
        parts = [draw(counts) for _ in T4_OUTCOMES[:-1]]
        for o, v in zip(T4_OUTCOMES[:-1], parts, strict=True):
            cells[g.cell_key(o)] = v
        cells[g.cell_key("total")] = sum(parts)
    return cells
