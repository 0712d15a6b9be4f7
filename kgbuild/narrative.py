"""The report's prose: its numbered sections outside the statutory tables."""

from __future__ import annotations

import re

from .model import Section
from .read import Line
from .recognise import label_key

_HEADING = re.compile(r"^(?:#+\s*)?[一二三四五六七八九十]+、")


def sections(lines: tuple[Line, ...], start: int, tables: tuple[int, int]) -> tuple[Section, ...]:
    """The numbered sections from ``start`` on, leaving out the lines of the tables.

    :param start: index of the first line after the title (site chrome comes before).
    :param tables: index range ``(first, end)`` of the table regions.
    """
    out: list[Section] = []
    heading: Line | None = None
    body: list[str] = []

    def close() -> None:
        if heading is not None:
            out.append(Section(heading.text.lstrip("# "), "\n".join(body), heading.number))

    for i in range(start, len(lines)):
        if tables[0] <= i < tables[1]:
            continue
        line = lines[i]
        if _HEADING.match(line.text) and len(label_key(line.text)) <= 40:
            close()
            heading, body = line, []
        elif heading is not None and line.text.strip():
            body.append(line.text.strip())
        if i + 1 == tables[0]:
            close()
            heading = None
    close()
    return tuple(out)
