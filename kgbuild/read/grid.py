"""Table rows: the shape HTML, DOCX and PDF tables share.

A table row becomes one positional :class:`Line` of its own cells, in order.
A cell spanning columns or rows stands once, where the source writes it: a
value spanning two columns is one value, and the group label 三、本年度办理结果
that spans twenty rows is not repeated into each. An empty cell stays, as a
blank in its column; that is what lets a grid say which cells are blank when
text cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .document import Line

_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def clean(text: str) -> str:
    """A cell's text with runs of white space (NBSP, 全角 space, zero-width) folded to one."""
    return _SPACE.sub(" ", text).strip()


def grid_line(number: int, cells: Iterable[str | None]) -> Line | None:
    """A table row as a positional line; None for a row with no text at all.

    :param cells: the row's own cells; None stands for a slot another cell spans.
    """
    fields = tuple(clean(c) for c in cells if c is not None)
    if not any(fields):
        return None
    return Line(number=number, fields=fields, positional=True)
