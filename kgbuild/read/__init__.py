"""Stage 1, read: bytes of any input form to a :class:`Document` of lines.

Every form ends as lines of fields. Text keeps its own lines, split at tabs
and wide gaps; a table grid (HTML, DOCX, PDF) gives one line per table row
with one field per column. The table recogniser then reads both the same way.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from ..errors import InputUnreadable, NotAReport
from .document import Document, Line
from .docx import docx_lines
from .flat import unflatten_all
from .html import declared_charset, html_lines, looks_like_html
from .pdf import pdf_lines
from .text import decode, text_lines

__all__ = ["Document", "Line", "read"]


def read(source: str | Path | bytes, name: str | None = None) -> Document:
    """Read a report from a path or from bytes.

    :param source: a file path, or the input bytes.
    :param name: what to call bytes in messages (defaults to the path).
    :returns: the :class:`Document`.
    :raises InputUnreadable: the file cannot be opened.
    :raises NotAReport: the bytes are empty or binary.
    """
    if isinstance(source, bytes):
        data, path = source, name
    else:
        path = name or str(source)
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise InputUnreadable("no such file", path) from None
        except IsADirectoryError:
            raise InputUnreadable("is a directory, not a report file", path) from None
        except OSError as e:
            raise InputUnreadable(f"cannot read: {e.strerror or e}", path) from None
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise NotAReport("empty file: there is no report to read", path)
    form = sniff(data, path)
    encoding = "binary"
    if form in ("pdf", "docx"):
        lines = _read_with_library(form, data, path)
    else:
        text, encoding = decode(data, path, declared_charset(data) if form == "html" else None)
        lines = unflatten_all(html_lines(text) if form == "html" else text_lines(text, html_tables=html_lines))
    return Document(source=path, sha256=digest, encoding=encoding, form=form, lines=tuple(lines))


def _read_with_library(form: str, data: bytes, path: str | None) -> list[Line]:
    """A PDF or DOCX, read by pdfplumber or python-docx.

    :raises NotAReport: the file is broken. These libraries raise dozens of
        exception types on a corrupt file (zlib, ZIP, XML, PDF syntax, missing
        keys), none of which is worth more to a reader than "broken, and why".
    """
    try:
        return pdf_lines(data, path) if form == "pdf" else docx_lines(data)
    except NotAReport:
        raise
    except Exception as e:
        detail = str(e).splitlines()[0][:200] if str(e) else ""
        raise NotAReport(
            f"a broken {form.upper()} file ({type(e).__name__}{': ' + detail if detail else ''})", path
        ) from None


_MAGIC = (
    (b"\x89PNG", "a PNG image, not a report"),
    (b"\xff\xd8\xff", "a JPEG image, not a report"),
    (b"GIF8", "a GIF image, not a report"),
    (b"\xd0\xcf\x11\xe0", "an old Word, WPS or Excel file (OLE2), which kgbuild cannot read: save it as DOCX or PDF"),
    (b"Rar!", "a RAR archive, not a report: unpack it and read the files inside"),
    (b"\x1f\x8b", "a gzip archive, not a report: unpack it and read the files inside"),
    (b"7z\xbc\xaf", "a 7-Zip archive, not a report: unpack it and read the files inside"),
)


def sniff(data: bytes, path: str | None) -> str:
    """The input form, from the bytes themselves: never from the file name.

    :raises NotAReport: a form that holds no readable report (image, archive, .doc).
    """
    head = data.lstrip()[:8]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise NotAReport("a broken ZIP or DOCX file", path) from None
        if "word/document.xml" in names:
            return "docx"
        raise NotAReport("a ZIP archive, not a report: unpack it and read the files inside", path)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotAReport(what, path)
    return "html" if looks_like_html(data) else "text"
