"""PDF files with pdfplumber, from their text layer: tables as grids, the rest as text lines."""

from __future__ import annotations

import io

from ..errors import NotAReport
from .document import Line
from .grid import grid_line
from .text import split_fields


def pdf_lines(data: bytes, path: str | None) -> list[Line]:
    """The lines of a PDF, page by page, top to bottom.

    Where pdfplumber finds a ruled table, each of its rows is a positional
    line; the text outside tables comes as text lines. A Line's number counts
    the lines of the whole document.

    :raises NotAReport: the PDF has no text layer (a scan).
    """
    import pdfplumber

    # A PDF that cannot be opened raises one of pdfminer's many errors: read() names it.
    pdf = pdfplumber.open(io.BytesIO(data))
    rows: list[tuple[float, list[str | None] | str]] = []
    lines: list[Line] = []
    with pdf:
        for page in pdf.pages:
            rows.clear()
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for table in tables:
                for row, cells in zip(table.rows, table.extract(), strict=False):
                    rows.append((row.bbox[1], cells))

            def outside(obj: dict, boxes: list = boxes) -> bool:
                x = (obj["x0"] + obj["x1"]) / 2
                y = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            text_page = page.filter(outside) if boxes else page
            for text_line in text_page.extract_text_lines(keep_blank_chars=True):
                rows.append((text_line["top"], text_line["text"]))
            for _top, content in sorted(rows, key=lambda r: r[0]):
                number = len(lines) + 1
                if isinstance(content, str):
                    fields = split_fields(content)
                    if fields:
                        lines.append(Line(number, fields))
                else:
                    line = grid_line(number, content)
                    if line:
                        lines.append(line)
    if not any(line.fields for line in lines):
        raise NotAReport("a PDF with no text layer (a scan?): run OCR on it first", path)
    return lines
