"""Plain text: decoding, splitting a line into fields, and Markdown pipe tables."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from ..errors import NotAReport
from .document import Line

# Tabs separate cells in text copied from tables; two or more spaces do in PDF text.
_FIELD_SEP = re.compile(r"\t|[ \u00a0\u3000]{2,}")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Pages that declare GB2312 or GBK use characters beyond it; GB18030 is their superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030"}


def decode(data: bytes, path: str | None, declared: str | None = None) -> tuple[str, str]:
    """Decode report bytes, and say how: a BOM, the declared charset, or detection.

    Detection tries strict UTF-8 first (most modern pages), then lets
    charset-normalizer choose (GBK, GB18030, Big5, UTF-16 without a BOM).

    :returns: the text, and the encoding used (``gb18030 (declared gb2312)``).
    :raises NotAReport: the bytes are binary, or no text encoding fits them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), path), encoding
    if declared:
        codec = _SUPERSETS.get(declared, declared)
        try:
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
        else:
            name = codec if codec == declared else f"{codec} (declared {declared})"
            return _checked(text, path), name
    try:
        return _checked(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise NotAReport("binary file: it is not text in any encoding", path)
    codec = _SUPERSETS.get(best.encoding, best.encoding)
    return _checked(data.decode(codec, errors="replace"), path), f"{codec} (detected)"


def _checked(text: str, path: str | None) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise NotAReport("binary file (control characters): not a text report", path)
    return text


def split_fields(line: str) -> tuple[str, ...]:
    """The non-empty fields of a text line."""
    return tuple(f for f in (p.strip(" \u00a0\u3000\r") for p in _FIELD_SEP.split(line)) if f)


# Markdown pipe tables, as PDF-to-Markdown converters write them (MinerU,
# marker, docling, pandoc): ``| 规章 | 22 | 235 |``, with or without the outer
# pipes, under a separator row ``|---|:--:|``.
_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_OUTER_PIPES = re.compile(r"^\s*\|.*\|\s*$")


def _pipe_cells(line: str) -> list[str]:
    """The cells of a pipe-table row; an escaped ``\\|`` stays inside its cell."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c.replace("\\|", "|").strip(" \u00a0\u3000\r") for c in re.split(r"(?<!\\)\|", body)]


_HTML_TABLE_START = re.compile(r"<table\b", re.I)
_HTML_TABLE_END = re.compile(r"</table\s*>", re.I)


def text_lines(text: str, html_tables: Callable[[str], list[Line]] | None = None) -> list[Line]:
    """A text's lines as fields: a Markdown table row is a positional line of its cells.

    A table row keeps its empty cells in place (``| 4 |  | 0 |``), as a grid
    does, and its separator row is no line at all. A row without outer pipes
    counts only in a block that has a separator row, as Markdown has it.

    :param html_tables: reads an HTML table written into the text (as MinerU
        writes tables in Markdown) into grid lines; without it, such a table is text.
    """
    raw = text.splitlines()
    if html_tables is not None:
        return _with_html_tables(raw, html_tables)
    return _markdown_lines(raw, 1)


def _with_html_tables(raw: list[str], html_tables: Callable[[str], list[Line]]) -> list[Line]:
    """Markdown lines, with each HTML table block read as the grid it is."""
    lines: list[Line] = []
    start = 0  # the first line not yet read
    i = 0
    while i < len(raw):
        if not _HTML_TABLE_START.search(raw[i]):
            i += 1
            continue
        end = i
        while end < len(raw) - 1 and not _HTML_TABLE_END.search(raw[end]):
            end += 1
        lines += _markdown_lines(raw[start:i], start + 1)
        # The block's own line numbers, counted from where it starts in the text.
        lines += [
            Line(i + line.number, line.fields, line.positional) for line in html_tables("\n".join(raw[i : end + 1]))
        ]
        start = i = end + 1
    return lines + _markdown_lines(raw[start:], start + 1)


def _markdown_lines(raw: list[str], first: int) -> list[Line]:
    """Lines of text (``first``: the number of the first), Markdown tables as positional lines."""
    in_table = [False] * len(raw)
    for i, line in enumerate(raw):
        if _SEPARATOR_ROW.match(line) and ("|" in line or (i and "|" in raw[i - 1])):
            # The block around a separator row: the lines with pipes above and below it.
            j = i - 1
            while j >= 0 and "|" in raw[j]:
                in_table[j] = True
                j -= 1
            j = i
            while j < len(raw) and "|" in raw[j]:
                in_table[j] = True
                j += 1
        elif _OUTER_PIPES.match(line) and line.count("|") >= 3:
            in_table[i] = True
    lines = []
    for number, line in enumerate(raw, start=first):
        if not in_table[number - first]:
            lines.append(Line(number=number, fields=split_fields(line)))
        elif not _SEPARATOR_ROW.match(line):
            cells = _pipe_cells(line)
            if any(cells):
                lines.append(Line(number=number, fields=tuple(cells), positional=True))
    return lines
