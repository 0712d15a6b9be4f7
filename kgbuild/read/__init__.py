"""Stage 1, read: bytes of any input form to a :class:`Document` of lines.

Every form ends as lines of fields. Text keeps its own lines, split at tabs
and wide gaps; a table grid (HTML, DOCX, PDF) gives one line per table row
with one field per column. The table recogniser then reads both the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputUnreadable, NotAReport
from .text import decode, split_fields

__all__ = ["Document", "Line", "read"]


@dataclass(frozen=True)
class Line:
    """One line of the source: a text line, or one row of a table grid."""

    number: int
    """1-based line number in the text form (or in the grid's rendering)."""
    fields: tuple[str, ...]
    """The cells, in order. In a text line, empty fields are dropped."""
    positional: bool = False
    """True for grid rows, where an empty field is a blank cell in its column."""

    @property
    def text(self) -> str:
        return " ".join(self.fields)


@dataclass(frozen=True)
class Document:
    """An input read into lines, with what is known of the input itself."""

    source: str | None
    """The input as given: a path, or None for bytes."""
    sha256: str
    """Of the input bytes."""
    encoding: str
    """The encoding the text was decoded with."""
    form: str
    """The input form: ``text`` (later also ``html``, ``docx``, ``pdf``)."""
    lines: tuple[Line, ...]


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
    text, encoding = decode(data, path)
    lines = tuple(Line(number=i, fields=split_fields(raw)) for i, raw in enumerate(text.splitlines(), start=1))
    return Document(source=path, sha256=digest, encoding=encoding, form="text", lines=lines)
