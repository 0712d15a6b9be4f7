"""Digit runs: a row's cells printed with nothing between them.

Flattened text prints the row 217 | 1 | 0 | 0 | 0 | 0 | 218 as ``21710000218``.
The cells are only recoverable where the run admits one cut: as many cells
as columns, no cell with a leading zero (a count is written ``0`` or ``12``,
never ``012``), and, where the row has one, its sum rule (the last cell of a
T3 row or of a T4 group is the sum of the others). This module lists the cuts
that fit; which of them, if any, the table's balance rules leave is for the
cell model to decide.

>>> cuts("801000081", [7], summed=True)
[(80, 1, 0, 0, 0, 0, 81)]
>>> len(cuts("77132470", [3]))
21
>>> cuts("110024001510102", [5, 5, 5], summed=True)
[(1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)]
"""

from __future__ import annotations

from collections.abc import Sequence

LIMIT = 200_000
"""Partial cuts tried before giving up: a run far longer than its cells is no row."""


class TooManyCuts(Exception):
    """The run has more ways to cut than are worth trying."""


def cuts(run: str, groups: Sequence[int], *, summed: bool = False, limit: int = LIMIT) -> list[tuple[int, ...]]:
    """Every cut of a run of digits into cells that fits the row.

    :param run: the digits, as printed.
    :param groups: the number of cells in each group of the row (T3: ``[7]``; T4: ``[5, 5, 5]``).
    :param summed: whether each group's last cell is the sum of its others.
    :raises TooManyCuts: more than ``limit`` partial cuts would be tried.
    """
    if not run.isdigit():
        raise ValueError(f"not a run of digits: {run!r}")
    n = sum(groups)
    ends = set()  # the indexes of cells that close a group
    at = 0
    for size in groups:
        at += size
        ends.add(at - 1)
    out: list[tuple[int, ...]] = []
    cells: list[int] = []
    tried = 0

    def walk(pos: int, group_start: int) -> None:
        nonlocal tried
        i = len(cells)
        if i == n:
            if pos == len(run):
                out.append(tuple(cells))
            return
        tried += 1
        if tried > limit:
            raise TooManyCuts(f"more than {limit} ways to cut {len(run)} digits into {n} cells")
        left_after = n - i - 1  # cells still to fill after this one, one digit each at least
        longest = 1 if run[pos] == "0" else len(run) - pos - left_after
        for width in range(1, longest + 1):
            value = int(run[pos : pos + width])
            cells.append(value)
            closes = i in ends
            if not (closes and summed and sum(cells[group_start:i]) != value):
                walk(pos + width, i + 1 if closes else group_start)
            cells.pop()

    if len(run) >= n:
        walk(0, 0)
    return out
