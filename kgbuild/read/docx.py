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
            seen: set[int] = set()
            rows = []
            layout = False
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    # Merged cells come back once per grid slot they cover: keep the first.
                    if id(cell._tc) in seen:
                        cells.append(None)
                        continue
                    seen.add(id(cell._tc))
                    layout |= bool(cell.tables)
                    cells.append(cell)
                rows.append(cells)
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
