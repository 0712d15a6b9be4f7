"""HTML pages as government sites publish them, read with lxml.

The page becomes lines: each block of text (a paragraph, a heading, a line
after ``<br>``) one line, and each row of a data table one positional line of
its cells. Site chrome around the report stays as lines the table recogniser
passes over. A table that holds tables is layout, and its cells are read as
blocks. The walk is iterative, so a deeply nested page cannot exhaust the
stack; lxml never fetches or expands external entities here.
"""

from __future__ import annotations

import re

import lxml.etree as etree
import lxml.html

from .document import Line
from .grid import clean, grid_line
from .text import split_fields

_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "title",
    "tr", "ul",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "select", "option", "button"}
_PUBLISHED_META = re.compile(r"pubdate|publishdate|firstpublishedtime|published", re.I)


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)


def _cell_text(cell: etree._Element) -> str:
    # <br> and <p> inside a cell split a label (本年新<br>制作数量), not a value.
    return "".join(t for t in cell.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _is_layout(table: etree._Element) -> bool:
    return bool(table.xpath(".//table"))


def html_lines(text: str) -> list[Line]:
    """The lines of an HTML page: text blocks and table rows, in document order."""
    try:
        root = lxml.html.document_fromstring(text, parser=_parser())
    except etree.ParserError:  # markup with no document in it (a bare doctype): no lines
        return []
    lines: list[Line] = []
    for meta in root.xpath("//meta[@name and @content]"):
        if _PUBLISHED_META.fullmatch(meta.get("name", "")):
            # The CMS's own publication date, as the page would print it.
            lines.append(Line(meta.sourceline or 0, (f"发布时间: {meta.get('content')}",)))
    buf: list[str] = []
    buf_line: list[int] = [0]

    def flush() -> None:
        joined = "".join(buf)
        buf.clear()
        if joined.strip():
            fields = tuple(clean(f) for f in split_fields(joined))
            lines.append(Line(buf_line[0], tuple(f for f in fields if f)))

    def add(text: str | None, line: int | None) -> None:
        if text:
            if not buf:
                buf_line[0] = line or 0
            buf.append(text)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP or tag == "head":
                if tag == "head":
                    for title in el.xpath("./title"):
                        add(title.text_content(), title.sourceline)
                        flush()
                walker.skip_subtree()
                continue
            if tag in _BLOCKS or tag == "br":
                flush()
            if tag == "table" and not _is_layout(el):
                for tr in _rows(el):
                    line = grid_line(tr.sourceline or 0, (_cell_text(td) for td in tr.xpath("./td | ./th")))
                    if line:
                        lines.append(line)
                walker.skip_subtree()
                continue
            add(el.text, el.sourceline)
        else:
            if tag in _BLOCKS:
                flush()
            add(el.tail, el.sourceline)
    flush()
    return lines


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_TAGS = re.compile(rb"<(?:table|tr|td|p|div|br|span)\b[^>]*>", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` near its start, if any."""
    m = _META_CHARSET.search(data[:8192])
    return m.group(1).decode("ascii").lower() if m else None


def looks_like_html(data: bytes) -> bool:
    """HTML by content: a document start, or many tags in the first part."""
    head = data[:8192].replace(b"\x00", b"")  # UTF-16 pages
    if _HTML_START.match(head):
        return True
    # Markdown with HTML tables in it (MinerU writes tables so) starts with its
    # text, not a tag: it is text, and its tables are read where they stand.
    starts_with_tag = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<")
    return starts_with_tag and len(_HTML_TAGS.findall(head)) >= 5
