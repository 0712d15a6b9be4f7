"""Word files (DOCX) with python-docx: paragraphs and tables, merged cells once."""

from __future__ import annotations

import io
from collections.abc import Iterator

from .document import Line
from .grid import clean, grid_line
from .text import split_fields


def docx_lines(data: bytes) -> list[Line]:
    """The lines of a DOCX body: each paragraph one line, each table row one positional line.

    A DOCX has no lines; a Line's number is the ordinal of its paragraph or
    table row in the body, which is where a person finds it.
    """
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[Line] = []

    def blocks(parent, element) -> Iterator[Paragraph | Table]:  # type: ignore[no-untyped-def]
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                yield Paragraph(child, parent)
            elif tag == "tbl":
                yield Table(child, parent)

    def read(parent, element) -> None:  # type: ignore[no-untyped-def]
        for block in blocks(parent, element):
            if isinstance(block, Paragraph):
                fields = tuple(clean(f) for f in split_fields(block.text))
                if any(fields):
                    lines.append(Line(len(lines) + 1, fields))
                continue
            rows = [list(_own_cells(tr, block)) for tr in block._tbl.tr_lst]
            layout = any(cell is not None and cell._tc.tbl_lst for cells in rows for cell in cells)
            if layout:  # a table holding tables arranges the page: read its cells as blocks
                for cells in rows:
                    for cell in cells:
                        if cell is not None:
                            read(cell, cell._tc)
                continue
            for cells in rows:
                line = grid_line(len(lines) + 1, (c.text if c is not None else None for c in cells))
                if line:
                    lines.append(line)

    read(document, document.element.body)
    return lines


def _own_cells(tr, table) -> Iterator:  # type: ignore[no-untyped-def]
    """A table row's cells, each once where the source writes it; None for a grid slot another cell spans.

    Not python-docx's ``row.cells``: that finds the cell above each vertically
    merged one by a search of the whole table, which made reading a DOCX
    table cost its rows squared.
    """
    from docx.table import _Cell

    for tc in tr.tc_lst:
        if tc.vMerge == "continue":  # the cell above spans this slot
            yield from [None] * tc.grid_span
            continue
        yield _Cell(tc, table)
        yield from [None] * (tc.grid_span - 1)
