"""The balance rules (勾稽关系) of FORMAT.md: checking them, and what they fix.

Each rule is a set of linear equations over cell keys, written as
``{key: coefficient}`` that must sum to zero. Rules 1-5 hold within a
report; rules 6 and 7 join years and belong to the graph's shapes.

Inference is sound, not complete: a blank is filled only when an equation,
alone or combined with others by elimination, leaves it a single unknown, or
makes a sum of non-negative unknowns equal zero. Whatever it cannot prove
stays null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .statute import APPLICANTS, DENIED, OTHER_2021, REJECTED, T3_COLUMNS, T4_OUTCOMES, T4_ROWS, UNAVAILABLE, CellKey

RULES = {
    1: "申请 in = 办理 out: new + carried = total + forward, in every column",
    2: "a row's 总计 is the sum of its applicant columns",
    3: "总计 is the sum of the outcome rows (予以公开 … 其他处理), in every column",
    4: "其他处理 is the sum of its three sub-rows (2021)",
    5: "a T4 group's 总计 is 维持 + 纠正 + 其他 + 尚未审结",
}


@dataclass(frozen=True)
class Equation:
    """``sum(coefficient * cell) == 0`` for one rule, on one row, column or group."""

    rule: int
    terms: tuple[tuple[str, int], ...]
    table: str
    row: str | None = None
    column: str | None = None
    left: tuple[str, ...] = ()
    """The keys written on the left-hand side, for messages."""


def _eq(
    rule: int, table: str, left: list[str], right: list[str], row: str | None = None, column: str | None = None
) -> Equation:
    terms = tuple((k, 1) for k in left) + tuple((k, -1) for k in right)
    return Equation(rule, terms, table, row, column, tuple(left))


def outcome_rows(version: str) -> list[str]:
    """The T3 rows that add up to 总计, in the version's form."""
    rows = ["granted", "partial"]
    rows += [f"denied.{k}" for k in DENIED]
    rows += [f"unavailable.{k}" for k in UNAVAILABLE]
    rows += [f"rejected.{k}" for k in REJECTED]
    rows += ["other"] if version == "2019" else [f"other.{k}" for k in OTHER_2021]
    return rows


def equations(version: str, keys: Iterable[str]) -> list[Equation]:
    """The equations of rules 1-5 over the cells a report has."""
    present = set(keys)
    eqs: list[Equation] = []
    columns = [c.key for c in T3_COLUMNS]
    for c in columns:
        eqs.append(_eq(1, "T3", [f"T3.new.{c}", f"T3.carried.{c}"], [f"T3.total.{c}", f"T3.forward.{c}"], column=c))
    t3_rows = sorted({CellKey.parse(k).row for k in present if k.startswith("T3.")})
    for r in t3_rows:
        eqs.append(_eq(2, "T3", [f"T3.{r}.total"], [f"T3.{r}.{a}" for a in APPLICANTS], row=r))
    for c in columns:
        eqs.append(_eq(3, "T3", [f"T3.total.{c}"], [f"T3.{r}.{c}" for r in outcome_rows(version)], column=c))
    if version == "2021" and "T3.other.total" in present:
        for c in columns:
            eqs.append(
                _eq(4, "T3", [f"T3.other.{c}"], [f"T3.other.{k}.{c}" for k in OTHER_2021], row="other", column=c)
            )
    for g in T4_ROWS:
        parts = [f"T4.{g.key}.{o}" for o in T4_OUTCOMES if o != "total"]
        eqs.append(_eq(5, "T4", [f"T4.{g.key}.total"], parts, row=g.key))
    return [e for e in eqs if all(k in present for k, _ in e.terms)]


@dataclass(frozen=True)
class Violation:
    """A balance equation that the printed values break."""

    equation: Equation
    left: int
    right: int

    @property
    def difference(self) -> int:
        return self.left - self.right

    def describe(self, values: Mapping[str, int | None]) -> str:
        eq = self.equation
        where = f"row {eq.row}" if eq.row and not eq.column else f"column {eq.column}" if eq.column else ""
        if eq.row and eq.column:
            where = f"row {eq.row}, column {eq.column}"

        def side(keys: list[str], total: int) -> str:
            names = " + ".join(k.split(".", 1)[1] for k in keys)
            nums = " + ".join(str(values[k]) for k in keys)
            return f"{names} = {nums} = {total}" if len(keys) > 1 else f"{names} = {total}"

        right_keys = [k for k, _ in eq.terms if k not in eq.left]
        return (
            f"rule {eq.rule} ({where}): {side(list(eq.left), self.left)}, "
            f"but {side(right_keys, self.right)}; difference {self.difference}"
        )


def check(eqs: Iterable[Equation], values: Mapping[str, int | None]) -> list[Violation]:
    """The equations whose cells all have values and do not balance."""
    out = []
    for eq in eqs:
        known = {k: values.get(k) for k, _ in eq.terms}
        if any(v is None for v in known.values()):
            continue
        left = sum(known[k] or 0 for k in eq.left)
        right = sum(known[k] or 0 for k, _ in eq.terms if k not in eq.left)
        if left != right:
            out.append(Violation(eq, left, right))
    return out


class Infeasible(Exception):
    """No non-negative integers satisfy the equations with the printed values."""


@dataclass
class _Row:
    """An equation reduced to its unknowns: ``sum(coef * x) == const``."""

    coefs: dict[str, Fraction]
    const: Fraction
    rules: frozenset[int]


def _reduce(eqs: Iterable[Equation], known: Mapping[str, int]) -> list[_Row]:
    rows = []
    for eq in eqs:
        coefs = {k: Fraction(c) for k, c in eq.terms if k not in known}
        const = -sum((Fraction(c * known[k]) for k, c in eq.terms if k in known), Fraction(0))
        if coefs:
            rows.append(_Row(coefs, const, frozenset({eq.rule})))
        elif const != 0:
            raise Infeasible(f"rule {eq.rule} does not balance")
    return rows


def _is_sum(key: str) -> bool:
    return key.endswith(".total") or ".total." in key or ".forward." in key


def _eliminate(rows: list[_Row]) -> list[_Row]:
    """Gauss-Jordan elimination over the unknowns: combinations that may say more."""
    rows = [_Row(dict(r.coefs), r.const, r.rules) for r in rows]
    done: list[_Row] = []
    while rows:
        pivot_row = rows.pop(0)
        if not pivot_row.coefs:
            if pivot_row.const != 0:
                raise Infeasible("the rules contradict each other")
            continue
        # Pivot on sums (总计, 结转) first: what is left then speaks of detail cells,
        # where "a sum of non-negative cells is zero" can fire.
        var = max(pivot_row.coefs, key=lambda k: (_is_sum(k), k))
        p = pivot_row.coefs[var]
        for target in rows + done:
            c = target.coefs.get(var)
            if c:
                factor = c / p
                for k, v in pivot_row.coefs.items():
                    nv = target.coefs.get(k, Fraction(0)) - factor * v
                    if nv:
                        target.coefs[k] = nv
                    else:
                        target.coefs.pop(k, None)
                target.const -= factor * pivot_row.const
                target.rules = target.rules | pivot_row.rules
        done.append(pivot_row)
    return done


def _forced(rows: Iterable[_Row]) -> dict[str, tuple[int, frozenset[int]]]:
    """Values that single rows force on their unknowns, given non-negativity."""
    out: dict[str, tuple[int, frozenset[int]]] = {}
    for row in rows:
        if len(row.coefs) == 1:
            ((k, c),) = row.coefs.items()
            v = row.const / c
            if v < 0 or v.denominator != 1:
                raise Infeasible(f"{k} would be {v}")
            out[k] = (int(v), row.rules)
            continue
        signs = {c > 0 for c in row.coefs.values()}
        if len(signs) == 1:
            positive = signs.pop()
            if row.const == 0:
                out.update((k, (0, row.rules)) for k in row.coefs)
            elif (row.const > 0) != positive:
                raise Infeasible("a sum of non-negative cells would be negative")
    return out


def infer(eqs: list[Equation], values: Mapping[str, int | None]) -> dict[str, tuple[int, frozenset[int]]]:
    """The blank cells that the equations and non-negativity fix, with the rules used.

    :raises Infeasible: no non-negative integers fit.
    """
    known = {k: v for k, v in values.items() if v is not None}
    found: dict[str, tuple[int, frozenset[int]]] = {}
    while True:
        rows = _reduce(eqs, known)
        if not rows:
            break
        new = _forced(rows)
        if not new:
            new = _forced(_eliminate(rows))
        if not new:
            break
        for k, (v, rules) in new.items():
            known[k] = v
            found[k] = (v, rules)
    return found
