"""Rows of a 2008–2018 table printed as one run of digits (``条4251516``), and how they are cut.

A run is cut only where one cut keeps 历年累计 at least the year's value (rule
A3), or where the form's sum rules leave one joint cut of the rows they tie.
What stays open is for the prose to settle, or stays null.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import islice, product

from ..digit_runs import TooManyCuts, cuts
from ..errors import Issue, Location, Severity
from ..model import Cell, Value
from ..numbers import Number, money_in_wan
from .forms import MONEY_UNITS, TABLE, Form, Row


def digit_run(
    form: Form, row: Row, run: str, unit: str | None, where: Location, issues: list[Issue]
) -> tuple[list[tuple[Value, str | None]], list[tuple[int, ...]]]:
    """A row printed as one run of digits: the cuts that keep 历年累计 at least the year (rule A3)."""
    nothing: list[tuple[Value, str | None]] = [(None, run)] * len(form.kept)
    if len(form.kept) != len(form.columns):
        options: list[tuple[int, ...]] = []
    else:
        try:
            options = [c for c in cuts(run, [len(form.columns)]) if _cumulative_at_least_year(form, c)]
        except TooManyCuts:
            options = []
    if len(options) == 1:
        issues.append(
            Issue(
                "digit-run-cut",
                f"row {row.labels[-1]} is printed as one run {run}; its only cut with 历年累计 at least the"
                f" year's value (rule A3) is {' | '.join(map(str, options[0]))}",
                Severity.INFO,
                where,
            )
        )
        return [(_amount(row, v, unit) if row.money else v, run) for v in options[0]], options
    shown = "; ".join(" | ".join(map(str, c)) for c in options[:4]) or "none"
    issues.append(
        Issue(
            "digit-run-ambiguous",
            f"row {row.labels[-1]} is printed as one run {run} with {len(options)} cuts that keep rule A3"
            f" ({shown}); no cell of it is asserted",
            Severity.WARNING,
            where,
        )
    )
    return nothing, options


_COMBINATIONS = 4096
"""Joint cuts tried for one rule before giving up: the rows of a rule have a few cuts each."""


def settle_by_rules(
    form: Form,
    cells: dict[str, Cell],
    ambiguous: dict[str, list[tuple[int, ...]]],
    path: str | None,
    issues: list[Issue],
) -> None:
    """Cut ambiguous digit runs where the form's sum rules (A1, A2: errors when broken) leave one cut.

    Only equalities are used: an "of which" rule (W1) and the chain across years (W3) fail in real
    reports, so they never decide a value. A row is settled when every joint cut of its rule that
    holds in every column gives it the same cut; settling one rule's rows may settle another's.
    """
    columns = form.columns
    changed = True
    while changed and ambiguous:
        changed = False
        for rule in form.rules:
            if rule.relation != "equal":
                continue
            rows = [rule.total, *rule.parts]
            open_rows = [r for r in rows if r in ambiguous]
            if not open_rows:
                continue
            fixed: dict[str, tuple[int, ...]] = {}
            for r in rows:
                if r in ambiguous:
                    continue
                printed = [cells.get(f"{TABLE}.{r}.{c}") for c in columns]
                if any(v is None or not isinstance(v.value, int) for v in printed):
                    break  # a row of the rule is not printed as counts: the rule decides nothing
                fixed[r] = tuple(v.value for v in printed if v is not None and isinstance(v.value, int))
            else:
                choices = _joint_cuts(rule.total, rule.parts, open_rows, ambiguous, fixed, len(columns))
                for r in open_rows:
                    cut = {c[r] for c in choices}
                    if len(cut) != 1:
                        continue
                    values = cut.pop()
                    for column, value in zip(columns, values, strict=True):
                        k = f"{TABLE}.{r}.{column}"
                        cells[k] = Cell(k, value, cells[k].text, cells[k].line, placed="cut")
                    del ambiguous[r]
                    changed = True
                    issues[:] = [i for i in issues if not (i.code == "digit-run-ambiguous" and i.location.row == r)]
                    issues.append(
                        Issue(
                            "digit-run-cut",
                            f"row {r} is printed as one run {cells[f'{TABLE}.{r}.{columns[0]}'].text}; rule {rule.id}"
                            f" ({rule.total} = the sum of its rows) leaves one cut: {' | '.join(map(str, values))}",
                            Severity.INFO,
                            Location(path, cells[f"{TABLE}.{r}.{columns[0]}"].line, TABLE, r),
                            (rule.id,),
                        )
                    )
            if changed:
                break


def _joint_cuts(
    total: str,
    parts: tuple[str, ...],
    open_rows: list[str],
    ambiguous: dict[str, list[tuple[int, ...]]],
    fixed: dict[str, tuple[int, ...]],
    width: int,
) -> list[dict[str, tuple[int, ...]]]:
    """Every assignment of cuts to the open rows under which total = sum of parts in every column."""
    size = 1
    for r in open_rows:
        size *= len(ambiguous[r])
    if size > _COMBINATIONS:
        return []  # too many to try: decide nothing
    out: list[dict[str, tuple[int, ...]]] = []
    for combination in islice(product(*(ambiguous[r] for r in open_rows)), _COMBINATIONS):
        values = {**fixed, **dict(zip(open_rows, combination, strict=True))}
        if all(values[total][c] == sum(values[p][c] for p in parts) for c in range(width)):
            out.append(dict(zip(open_rows, combination, strict=True)))
    return out


def _amount(row: Row, value: int, unit: str | None) -> Value:
    """A whole amount cut from a money row's run, in 万元: the unit printed, else the form's."""
    number = Number(Decimal(value), signed=False, unit=None, text=str(value))
    return money_in_wan(number, unit if unit in MONEY_UNITS else row.unit)


def _cumulative_at_least_year(form: Form, values: tuple[int, ...]) -> bool:
    by_column = dict(zip(form.columns, values, strict=True))
    return "year" not in by_column or "cum" not in by_column or by_column["cum"] >= by_column["year"]
